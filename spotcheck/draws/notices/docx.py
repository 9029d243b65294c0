"""The notice letter as an editable DOCX: docxtpl fills a template an office may replace."""

import io
from pathlib import Path

from django.conf import settings
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from spotcheck.draws.models import Visit

from .build_template import DEFAULT_PATH, stable_zip
from .context import first_print_pin, notice_context, proof_qr


def template_path() -> Path:
    """`settings.SPOTCHECK_NOTICE_DOCX_TEMPLATE` if set, else the template shipped here."""
    configured = getattr(settings, "SPOTCHECK_NOTICE_DOCX_TEMPLATE", None)
    return Path(configured) if configured else DEFAULT_PATH


def render_docx(context: dict, template: Path | None = None) -> bytes:
    document = DocxTemplate(template or template_path())
    png = io.BytesIO()
    proof_qr(context["proof_url"]).save(png, kind="png", scale=4, border=2)
    image = InlineImage(document, io.BytesIO(png.getvalue()), width=Mm(28))
    check_png = io.BytesIO()
    proof_qr(context["inspection_url"]).save(check_png, kind="png", scale=4, border=2)
    check_image = InlineImage(document, io.BytesIO(check_png.getvalue()), width=Mm(28))
    # Autoescape: names with & or < stay text, never markup in the document's XML.
    document.render(
        {**context, "proof_qr_image": image, "inspection_qr_image": check_image}, autoescape=True
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())


def notice_docx(
    visit: Visit, *, pin: str | None = None, pin_issued=None, issued_by=None, **options
) -> bytes:
    """The letter for `visit` as DOCX bytes; `pin`, `issued_by` and `options` as for notice_pdf."""
    if pin is None:
        pin = first_print_pin(visit, pin_issued, issued_by=issued_by)
    return render_docx(notice_context(visit, pin=pin, **options))

"""The notice letter as an editable DOCX: docxtpl fills a template an office may replace."""

import io
from pathlib import Path

from django.conf import settings
from docxtpl import DocxTemplate

from spotcheck.draws.models import Visit

from .build_template import DEFAULT_PATH, stable_zip
from .context import notice_context


def template_path() -> Path:
    """`settings.SPOTCHECK_NOTICE_DOCX_TEMPLATE` if set, else the template shipped here."""
    configured = getattr(settings, "SPOTCHECK_NOTICE_DOCX_TEMPLATE", None)
    return Path(configured) if configured else DEFAULT_PATH


def render_docx(context: dict, template: Path | None = None) -> bytes:
    document = DocxTemplate(template or template_path())
    # Autoescape: names with & or < stay text, never markup in the document's XML.
    document.render(context, autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())


def notice_docx(visit: Visit, **options) -> bytes:
    """The letter for `visit` as DOCX bytes; `options` go to `notice_context` (e.g. issued_on)."""
    return render_docx(notice_context(visit, **options))

"""A report as DOCX (python-docx, the library under the notice letters' docxtpl) and PDF
(WeasyPrint, the notice letters' renderer). A report is one or two pages: built in the request
(see docs/joint-reports.md for the measured time), no background job needed."""

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from spotcheck.draws.notices.pdf import render_pdf

from .models import CheckReport, CheckReportVersion

TEMPLATE = "stats/joint_reports/document.html"
FONT = "Noto Serif CJK SC"


@dataclass(frozen=True)
class Text:
    title: str
    lines: list[str]
    issuer: str
    dated: str
    meta: str
    draft: bool


def report_text(report: CheckReport, version: CheckReportVersion | None) -> Text:
    """The signed `version`, or the draft being written when None."""
    body = version.body if version else report.body
    lines = body.split("\n")
    title = lines[0].strip() if lines else str(report)
    issuer = report.department.name if report.department_id else _("区双随机领导小组办公室")
    if version:
        when = timezone.localtime(version.signed_at)
        meta = _("第%(n)s版 · %(who)s签发于%(at)s") % {
            "n": version.number,
            "who": version.signed_by,
            "at": f"{when:%Y-%m-%d %H:%M}",
        }
        if version.reason:
            meta += " · " + _("修订原因：%(r)s") % {"r": version.reason}
        dated = f"{when:%Y年%m月%d日}"
    else:
        meta, dated = _("草稿，未签发"), ""
    return Text(title, lines[1:], issuer, dated, meta, version is None)


def report_pdf(text: Text) -> bytes:
    return render_pdf(render_to_string(TEMPLATE, text.__dict__))


def report_docx(text: Text) -> bytes:
    document = Document()
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(12)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # Word takes CJK glyphs from here
    if text.draft:
        document.add_paragraph(_("草稿（未签发）")).alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(text.title)
    run.bold, run.font.size = True, Pt(18)
    for line in text.lines:
        document.add_paragraph(line)
    closing = document.add_paragraph(f"{text.issuer}\n{text.dated}".strip())
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    meta = document.add_paragraph(text.meta)
    meta.runs[0].font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

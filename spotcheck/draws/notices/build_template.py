# ruff: noqa: E402  (sys.path is fixed before python-docx is imported)
"""Write the default DOCX template of the notice letter (联合抽查通知书) with python-docx.

    python -m spotcheck.draws.notices.build_template [OUT.docx]

The output is committed as `notice_template.docx`. An office may replace it (setting
`SPOTCHECK_NOTICE_DOCX_TEMPLATE`) with its own letterhead, keeping the Jinja tags docxtpl fills:
every key of `spotcheck.draws.notices.context.notice_context`, e.g. `{{ entity_name }}`, rows
`{%tr for row in items %}` and paragraphs `{%p for line in prepare %}`.
"""

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

# Run as a file, this folder comes first on sys.path and its docx.py would hide python-docx.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

DEFAULT_PATH = Path(__file__).with_name("notice_template.docx")
SERIF = "宋体"  # on every Chinese Windows/Office; LibreOffice maps it to Noto Serif CJK SC
SANS = "黑体"
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def stable_zip(data: bytes) -> bytes:
    """The same package with fixed timestamps and order: equal inputs give equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info))
    return out.getvalue()


def _fonts(element, east_asia: str, latin: str = "Times New Roman") -> None:
    """Set Latin and East Asian fonts on a style's or run's rPr."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _para(doc, text="", *, bold=False, size=None, align=None, font=None, indent=False, after=2):
    paragraph = doc.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if font:
            _fonts(run._element, font)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(22)
    paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def _heading(doc, text):
    paragraph = _para(doc, text, bold=True, size=12, font=SANS, after=3)
    paragraph.paragraph_format.space_before = Pt(8)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _table(doc, headers: list[str], cells: list[str], widths_mm: list[int], loop: str):
    """A header row, then the docxtpl row loop: `{%tr for … %}`, the cells, `{%tr endfor %}`."""
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    rows = table.rows
    for column, (title, width) in enumerate(zip(headers, widths_mm, strict=True)):
        for row in rows:
            row.cells[column].width = Mm(width)
        run = rows[0].cells[column].paragraphs[0].add_run(title)
        run.bold = True
        _fonts(run._element, SANS)
    _repeat_header(rows[0])
    rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for row in {loop} %}}")
    for column, text in enumerate(cells):
        rows[2].cells[column].paragraphs[0].add_run(text)
    rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for row in rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                for run in paragraph.runs:
                    run.font.size = Pt(9.5)
    return table


def _loop(doc, loop: str, line: str, *, style: str | None = None) -> None:
    _para(doc, f"{{%p for line in {loop} %}}", after=0)
    paragraph = _para(doc, line, after=1)
    paragraph.paragraph_format.left_indent = Pt(22)
    paragraph.paragraph_format.first_line_indent = Pt(-16)
    _para(doc, "{%p endfor %}", after=0)


def _page_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("{{ letter_number }}　第 ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" 页")
    for run in paragraph.runs:
        run.font.size = Pt(8.5)


def _drop_extras(doc) -> None:
    """Leave out parts Word does not need (thumbnail, styles with effects): a smaller template."""
    for rels in (doc.part.package.rels, doc.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(("/thumbnail", "/stylesWithEffects")):
                del rels[rid]


def build(path: Path = DEFAULT_PATH) -> Path:
    doc = Document()
    _drop_extras(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.left_margin = section.right_margin = Mm(20)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    _fonts(normal.element, SERIF)
    normal.paragraph_format.line_spacing = 1.3

    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _para(doc, "{{ issuer }}", size=13, align=center, font=SANS, after=0)
    _para(doc, "{{ title }}", bold=True, size=22, align=center, font=SANS, after=2)
    _para(doc, "编号：{{ letter_number }}", size=10, align=right, after=8)
    _para(doc, "{{ entity_name }}：", bold=True, size=12, after=0)
    _para(
        doc,
        "{{ entity_code_label }}：{{ entity_code }}　　地址：{{ entity_address }}",
        size=9.5,
        after=4,
    )
    _para(
        doc,
        "根据{{ policy }}和“{{ check_name }}”（编号 {{ check_number }}）的安排，经公开随机抽取，"
        "你单位被确定为本次{% if is_joint %}联合{% endif %}抽查的检查对象。"
        "{{ department_list }}将{% if is_joint %}组成联合检查组，一次进入、一并检查下列事项。"
        "{% else %}对你单位检查下列事项。{% endif %}现将有关事项通知如下：",
        indent=True,
    )

    _heading(doc, "一、抽查事项")
    _table(
        doc,
        ["部门", "抽查事项", "抽查依据", "抽查内容", "检查方式"],
        [
            "{{ row.department }}",
            "{{ row.name }}",
            "{{ row.legal_basis }}",
            "{{ row.content }}",
            "{{ row.methods }}",
        ],
        [30, 34, 40, 45, 21],
        "items",
    )

    _heading(doc, "二、检查时间")
    _para(
        doc,
        "计划于{{ planned_date }}实施检查。具体时间由检查组提前与你单位联系确定；"
        "如有特殊情况，请及时与下列联系人沟通。",
        indent=True,
    )

    _heading(doc, "三、请做好以下准备")
    _loop(doc, "prepare", "{{ loop.index }}. {{ line }}。")

    _heading(doc, "四、检查人员")
    _table(
        doc,
        ["部门", "检查人员", "执法证号"],
        ["{{ row.department }}", "{{ row.names }}", "{{ row.certificates }}"],
        [60, 50, 60],
        "team",
    )
    _loop(doc, "rights", "· {{ line }}")

    _heading(doc, "五、拒绝检查的法律后果")
    _loop(doc, "refusal", "{{ loop.index }}. {{ line }}")

    _heading(doc, "六、联系方式")
    _table(
        doc,
        ["部门", "联系人", "联系电话", "地址"],
        ["{{ row.department }}", "{{ row.name }}", "{{ row.phone }}", "{{ row.address }}"],
        [50, 25, 35, 60],
        "contacts",
    )

    _heading(doc, "七、核验抽取结果")
    _para(
        doc,
        "本次抽取的承诺值、公开随机数和抽中名单已在门户网站公布，任何人均可复算核验。"
        "扫描二维码或访问以下网址，凭查询码可查看你单位在已承诺的抽查对象名单中的记录及其证明：",
        indent=True,
        after=0,
    )
    _para(doc, "{{ proof_url }}", size=8.5, after=0)
    _para(doc, "查询码：{{ access_code }}（仅供你单位使用，请妥善保管）", bold=True, after=0)
    _para(doc, "{{ proof_qr_image }}", after=0)

    _heading(doc, "八、亮码检查和评价")
    _para(
        doc,
        "检查人员到场时，请扫描二维码（检查人员也会在手机上出示同一二维码），核对检查事项、"
        "检查人员姓名和执法证号。检查前可在该页面申请执法人员回避；检查完成后可凭PIN码评价"
        "本次检查（每次检查评价一次，评价匿名）：",
        indent=True,
        after=0,
    )
    _para(doc, "{{ inspection_url }}", size=8.5, after=0)
    _para(doc, "{{ pin_line }}", bold=True, after=0)
    _para(doc, "{{ inspection_qr_image }}", after=0)

    _para(doc, after=12)
    _para(doc, "{{ issuer }}", align=right, after=0)
    _para(doc, "（盖章）", size=9, align=right, after=0)
    _para(doc, "{{ issue_date }}", align=right, after=6)
    _para(doc, "{%p if is_joint %}", after=0)
    _para(doc, "联合检查部门：{{ department_list }}", size=9.5)
    _para(doc, "{%p endif %}", after=0)
    _page_footer(section)

    core = doc.core_properties
    core.author = "{{ issuer }}"
    core.title = "{{ title }} {{ letter_number }}"
    core.subject = "{{ entity_name }}"
    core.comments = ""
    core.last_modified_by = ""
    core.created = core.modified = datetime(2026, 1, 1)
    core.revision = 1

    buffer = io.BytesIO()
    doc.save(buffer)
    path.write_bytes(stable_zip(buffer.getvalue()))
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_PATH))

"""The rejected-rows report users download and fix their file from."""

from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from spotcheck.common.safe_cells import safe_xlsx_row

from .rejections import Rejection

REPORT_HEADERS = ["行号", "列", "列名", "单元格内容", "原因"]


def write_rejections_report(
    rejections: Sequence[Rejection],
    path: Path,
    warnings: Sequence[Rejection] = (),
    max_rows: int | None = None,
) -> Path:
    """Rejected rows on the first sheet; rows kept with a warning (a cell left out) on the
    second, so that a clerk fixes the first and checks the second. Each sheet keeps the first
    ``max_rows`` (setting SPOTCHECK_IMPORT_MAX_REPORT_ROWS), then a line saying how many more
    there are: a hostile file cannot make a report of any size."""
    if max_rows is None:
        max_rows = settings.SPOTCHECK_IMPORT_MAX_REPORT_ROWS
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    header_font = Font(bold=True)
    sheets = (("被拒绝的行", "被拒绝", rejections), ("已导入但有警告的行", "有警告", warnings))
    for title, noun, flagged in sheets:
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["D"].width = 30
        sheet.column_dimensions["E"].width = 60
        sheet.append([_bold(sheet, text, header_font) for text in REPORT_HEADERS])
        for rejection in flagged[:max_rows]:
            sheet.append(safe_xlsx_row(sheet, rejection.as_list()))
        left_out = len(flagged) - max_rows
        if left_out > 0:
            note = (
                f"另有{left_out:,}行{noun}，未列入本报告（共{len(flagged):,}行{noun}）："
                "请先按上面的原因修改文件，重新导入后再看其余的行"
            )
            sheet.append([_bold(sheet, note, header_font)])
    workbook.save(path)
    return path


def _bold(sheet, text: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell

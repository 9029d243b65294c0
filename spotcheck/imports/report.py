"""The rejected-rows report users download and fix their file from."""

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from .rejections import Rejection

REPORT_HEADERS = ["行号", "列", "列名", "单元格内容", "原因"]


def write_rejections_report(
    rejections: Sequence[Rejection], path: Path, warnings: Sequence[Rejection] = ()
) -> Path:
    """Rejected rows on the first sheet; rows kept with a warning (a cell left out) on the
    second, so that a clerk fixes the first and checks the second."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    for title, flagged in (("被拒绝的行", rejections), ("已导入但有警告的行", warnings)):
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["D"].width = 30
        sheet.column_dimensions["E"].width = 60
        header_font = Font(bold=True)
        sheet.append([_bold(sheet, text, header_font) for text in REPORT_HEADERS])
        for rejection in flagged:
            sheet.append(rejection.as_list())
    workbook.save(path)
    return path


def _bold(sheet, text: str, font: Font):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=text)
    cell.font = font
    return cell

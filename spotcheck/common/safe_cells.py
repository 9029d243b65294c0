"""Cells that no spreadsheet evaluates: the one helper every export (XLSX, CSV, reports) uses.

An entity named ``=HYPERLINK("http://…","点击")`` or ``@SUM(…)`` comes back out of an export; a
spreadsheet that opens it would run it as a formula (or a DDE call). Text starting with one of
the trigger characters is written with a leading apostrophe, and in XLSX as a string cell, so it
is shown as the text that was entered and never evaluated.
"""

from collections.abc import Iterable

from openpyxl.cell import WriteOnlyCell

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """``value`` unchanged unless it is text a spreadsheet could take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    """A CSV or TSV row: every cell through :func:`formula_safe`."""
    return [formula_safe(value) for value in values]


def safe_xlsx_row(sheet, values: Iterable) -> list:
    """A row for ``sheet.append`` (write-only or not): text cells typed as strings."""
    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=formula_safe(value))
        if isinstance(value, str):
            cell.data_type = "s"  # never "f", whatever the text looks like
        cells.append(cell)
    return cells

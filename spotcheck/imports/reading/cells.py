"""Cell values to the text a user sees, without the noise spreadsheets put in them."""

from __future__ import annotations

import datetime as dt
import re

# _x000D_ is how XLSX escapes a carriage return; Excel users also type Alt+Enter in cells.
_BREAKS = re.compile(r"\s*(?:(?:_x000[dD]_|[\r\n])\s*)+")

# Excel keeps 15 significant digits: an integer above this was already rounded when stored.
_EXACT_LIMIT = 1e15


def clean_text(value: str) -> str:
    """Line breaks and ``_x000D_`` collapsed to one space; surrounding space removed."""
    if "\n" in value or "\r" in value or "_x" in value:
        value = _BREAKS.sub(" ", value)
    return value.strip()


def cell_text(value: object) -> str:
    """The raw text of a typed spreadsheet cell.

    Whole numbers stored as floats lose the ``.0`` (``110101.0`` -> ``110101``); numbers too
    large for Excel to have kept exactly keep Excel's own scientific form
    (``9.14690062012665E+17``) so that validators reject them instead of guessing digits.
    """
    kind = type(value)
    if kind is str:
        return value  # type: ignore[return-value]
    if kind is float:
        number: float = value  # type: ignore[assignment]
        if number != number or number in (float("inf"), float("-inf")):
            return ""
        if abs(number) >= _EXACT_LIMIT:
            return f"{number:.15G}"
        if number.is_integer():
            return str(int(number))
        return repr(number)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is int:
        return str(value)
    if kind is dt.datetime:
        moment: dt.datetime = value  # type: ignore[assignment]
        if moment.time() == dt.time(0):
            return moment.date().isoformat()
        return moment.isoformat(sep=" ")
    if kind is dt.date or kind is dt.time:
        return value.isoformat()  # type: ignore[attr-defined]
    if value is None:
        return ""
    return str(value)

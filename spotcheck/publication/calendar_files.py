"""Reading an office's calendar file (CSV or XLSX): one row per exception to the plain week,
columns 日期 / 类型 (放假 or 上班) / 说明. Errors name the row and the column, in Chinese."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from .errors import PublicationErrorCode

REST_WORDS = {"放假", "休息", "休息日", "节假日"}
WORK_WORDS = {"上班", "工作日", "调休上班"}


@dataclass(frozen=True)
class CalendarRow:
    day: date
    is_working: bool
    note: str


def _cells(upload) -> list[list[object]]:
    raw = upload.read()
    if raw[:2] == b"PK":
        sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(
            _("无法识别文件编码，请另存为 UTF-8 CSV 或 XLSX"),
            code=PublicationErrorCode.CALENDAR_FILE,
        )
    return [list(row) for row in csv.reader(io.StringIO(text))]


def _day(value: object) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_calendar_file(upload, year: int) -> list[CalendarRow]:
    """Every row checked; all errors reported together so nothing is half-imported."""
    rows, errors = [], []
    for number, cells in enumerate(_cells(upload)[1:], start=2):
        cells = [*cells, "", "", ""][:3]
        if not any(str(c or "").strip() for c in cells):
            continue
        day = _day(cells[0])
        kind = str(cells[1] or "").strip()
        if day is None:
            errors.append(_("第%(row)d行A列：日期无法识别，请写作 2027-01-01") % {"row": number})
        elif day.year != year:
            errors.append(
                _("第%(row)d行A列：日期 %(day)s 不在%(year)d年")
                % {"row": number, "day": day.isoformat(), "year": year}
            )
        if kind not in REST_WORDS | WORK_WORDS:
            errors.append(_("第%(row)d行B列：类型须为“放假”或“上班”") % {"row": number})
        if not errors:
            rows.append(CalendarRow(day, kind in WORK_WORDS, str(cells[2] or "").strip()[:50]))
    if errors:
        raise ValidationError(errors, code=PublicationErrorCode.CALENDAR_FILE)
    if not rows:
        raise ValidationError(
            _("文件中没有放假或调休上班的日期"), code=PublicationErrorCode.CALENDAR_FILE
        )
    return rows

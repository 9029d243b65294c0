"""Download a list as XLSX or CSV (UTF-8 with BOM, so Excel opens Chinese text correctly)."""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from typing import IO

from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .safe_cells import safe_row, safe_xlsx_row

EXPORT_FORMATS = ("xlsx", "csv")


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_response(
    *, headers: Sequence[str], rows: Iterable[Sequence], filename: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff" + writer.writerow(safe_row(headers))
            for row in rows:
                yield writer.writerow(safe_row(row))

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(safe_xlsx_row(sheet, headers))
        for row in rows:
            sheet.append(safe_xlsx_row(sheet, row))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


# An XLSX sheet holds 1,048,576 rows: a longer list goes on in a second sheet, never cut off.
XLSX_SHEET_ROWS = 1_048_575
PROGRESS_ROWS = 1000


def write_csv(
    handle: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence], progress: Callable
) -> int:
    """Every row to ``handle`` (UTF-8 with BOM), formula-safe; returns the count."""
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(safe_row(headers))
    count = 0
    for count, row in enumerate(rows, start=1):
        writer.writerow(safe_row(row))
        if count % PROGRESS_ROWS == 0:
            progress(count)
    text.flush()
    text.detach()  # the caller closes the file
    return count


def write_xlsx(
    handle: IO[bytes], headers: Sequence[str], rows: Iterable[Sequence], progress: Callable
) -> int:
    """Every row to ``handle`` as XLSX in constant memory (openpyxl's write-only mode streams
    each sheet to a temporary file), formula-safe; returns the count."""
    workbook = Workbook(write_only=True)
    sheet, on_sheet, count = None, XLSX_SHEET_ROWS, 0
    for count, row in enumerate(rows, start=1):
        if on_sheet == XLSX_SHEET_ROWS:
            sheet, on_sheet = workbook.create_sheet(), 0
            sheet.append(safe_xlsx_row(sheet, headers))
        sheet.append(safe_xlsx_row(sheet, row))
        on_sheet += 1
        if count % PROGRESS_ROWS == 0:
            progress(count)
    if sheet is None:
        sheet = workbook.create_sheet()
        sheet.append(safe_xlsx_row(sheet, headers))
    workbook.save(handle)
    return count


def record_export(user, what: str) -> None:
    """Downloads of directory data are audited: who took which list, when."""
    with transaction.atomic():
        audit_event_record(
            event_type=AuditEventType.EXPORT_DOWNLOADED,
            actor=user,
            department=user.department,
            target_type="export",
            target_id=what,
        )

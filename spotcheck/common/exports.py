"""Download a list as XLSX or CSV (UTF-8 with BOM, so Excel opens Chinese text correctly)."""

import csv
import io
from collections.abc import Iterable, Sequence

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

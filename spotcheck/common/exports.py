"""Download a list as XLSX or CSV (UTF-8 with BOM, so Excel opens Chinese text correctly)."""

import csv
import io
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

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
            yield "\ufeff" + writer.writerow(headers)
            for row in rows:
                yield writer.writerow(row)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(list(headers))
        for row in rows:
            sheet.append(list(row))
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

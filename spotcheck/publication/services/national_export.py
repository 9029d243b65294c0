"""Export to the national enterprise credit publicity system (国家企业信用信息公示系统) and the
credit-sharing platform: per department and period, in the layout of a published result record,
XLSX or JSON. Record ids are stable, so a record sent before and corrected since is an update, and
one withdrawn since after a granted credit repair (信用修复) is a withdrawal (停止公示)."""

import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.common.safe_cells import safe_xlsx_row

from ..errors import PublicationErrorCode
from ..models import NationalExport, PublicRecord
from ..rules import PUBLISHER_ROLES

HEADERS = (
    "公示编号",
    "报送类型",
    "计划编号",
    "计划名称",
    "任务编号",
    "任务名称",
    "抽查类型",
    "检查机关",
    "市场主体名称",
    "统一社会信用代码",
    "检查完成日期",
    "抽查事项",
    "检查结果",
    "公示日期",
    "更正日期",
    "停止公示日期",
)
OPERATIONS = {"new": "新增", "update": "更新", "withdraw": "停止公示（信用修复）"}


@dataclass
class ExportFile:
    export: NationalExport
    content: bytes
    filename: str
    content_type: str


def _may_export(actor, department) -> bool:
    return actor.is_office or (
        actor.role in PUBLISHER_ROLES and actor.department_id == department.pk
    )


def _records(department, start: date, end: date):
    """Published, or corrected, within the period."""
    return (
        PublicRecord.objects.filter(department=department)
        .filter(
            Q(published_on__range=(start, end))
            | Q(corrected_at__date__range=(start, end))
            | Q(repaired_at__date__range=(start, end))
        )
        .order_by("published_on", "record_id")
    )


def _previously_sent(department) -> dict[str, int]:
    sent: dict[str, int] = {}
    for earlier in NationalExport.objects.filter(department=department).order_by("created_at"):
        sent.update(earlier.sent)
    return sent


def _entry(record, operation: str) -> dict:
    return {
        "record_id": record.record_id,
        "operation": operation,
        "version": record.version,
        "plan_number": record.plan_number,
        "plan_name": record.plan_name,
        "task_number": record.task_number,
        "task_name": record.task_name,
        "directed": record.directed,
        "department": record.department_name,
        "entity_name": record.entity_name,
        "uscc": record.uscc,
        "completed_on": record.completed_on,
        "published_on": record.published_on,
        "corrected_on": timezone.localdate(record.corrected_at) if record.corrected_at else None,
        "withdrawn_on": timezone.localdate(record.repaired_at) if record.repaired_at else None,
        "items": [{"item": i["item"], "results": i["results"]} for i in record.items],
    }


def _xlsx(entries: list[dict]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("检查结果")
    sheet.append(HEADERS)
    for e in entries:
        for item in e["items"]:
            row = (
                e["record_id"],
                OPERATIONS[e["operation"]],
                e["plan_number"],
                e["plan_name"],
                e["task_number"],
                e["task_name"],
                "定向" if e["directed"] else "不定向",
                e["department"],
                e["entity_name"],
                e["uscc"],
                e["completed_on"],
                item["item"],
                "；".join(item["results"]),
                e["published_on"],
                e["corrected_on"],
                e["withdrawn_on"],
            )
            sheet.append(safe_xlsx_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@transaction.atomic
def national_export_create(*, actor, department, start: date, end: date, fmt: str) -> ExportFile:
    """Everything published or corrected in the period not yet sent in its current version."""
    if not _may_export(actor, department):
        raise PermissionDenied
    if end < start:
        raise ValidationError(_("截止日期不能早于起始日期"), code=PublicationErrorCode.WRONG_STATE)
    sent_before = _previously_sent(department)
    entries = []
    for record in _records(department, start, end):
        if sent_before.get(record.record_id) == record.version:
            continue
        if record.repaired_at is not None:
            if record.record_id not in sent_before:
                continue  # never sent, so nothing to withdraw
            operation = "withdraw"
        else:
            operation = "update" if record.record_id in sent_before else "new"
        entries.append(_entry(record, operation))
    if fmt == NationalExport.Format.JSON:
        payload = {
            "department": department.name,
            "period": {"start": start, "end": end},
            "records": entries,
        }
        content = json.dumps(payload, ensure_ascii=False, cls=DjangoJSONEncoder).encode()
        content_type = "application/json"
    else:
        content = _xlsx(entries)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    export = NationalExport.objects.create(
        department=department,
        period_start=start,
        period_end=end,
        format=fmt,
        sent={e["record_id"]: e["version"] for e in entries},
        record_count=len(entries),
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=actor,
    )
    audit_event_record(
        event_type=AuditEventType.NATIONAL_EXPORT,
        actor=actor,
        department=department,
        target=export,
        extra={"records": len(entries), "format": fmt, "sha256": export.sha256},
    )
    filename = f"{department.code}-{start.isoformat()}-{end.isoformat()}.{fmt}"
    return ExportFile(export, content, filename, content_type)

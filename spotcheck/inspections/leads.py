"""Leads (线索): registered on an entity, then acted on at once as a targeted check, or grouped
with similar leads into one special (directed) draw task. Either way the check goes through the
normal draw, which staffs it with randomly drawn inspectors."""

from datetime import date, datetime
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.draws.models import DrawBatch
from spotcheck.draws.services import batch_create
from spotcheck.plans.models import DesignMode, SpotCheckTask
from spotcheck.plans.numbering import next_number
from spotcheck.plans.services import task_create
from spotcheck.plans.validation import TaskDraft

from .models import Lead, LeadSource, LeadStatus


class LeadErrorCode(StrEnum):
    SOURCE_INVALID = "source_invalid"
    DESCRIPTION_REQUIRED = "description_required"
    NOT_REGISTERED = "not_registered"  # already turned into a check or closed
    TOO_FEW_LEADS = "too_few_leads"
    MIXED_DEPARTMENTS = "mixed_departments"
    DESIGN_INVALID = "design_invalid"


def next_lead_number(region_code: str, year: int) -> str:
    """110101-2026-L0007: region + year + sequence."""
    return next_number("lead", region_code, year)


def may_direct_check(actor, department_id: int) -> bool:
    """Who turns leads into checks: the office, or the department's liaison or reviewer."""
    if actor.is_office:
        return True
    return actor.department_id == department_id and actor.role in (
        Role.DEPARTMENT_ADMIN,
        Role.REVIEWER,
    )


def _audit(event_type, actor, lead, **extra) -> None:
    audit_event_record(
        event_type=event_type, actor=actor, department=lead.department, target=lead, extra=extra
    )


@transaction.atomic
def lead_register(*, actor, entity, source: str, description: str, department=None) -> Lead:
    """Any user of a department registers a lead on an entity the caller may see (the view
    looks the entity up through the directory's scoped selector)."""
    department = department or actor.department
    if department is None or not (actor.is_office or actor.department_id == department.pk):
        raise PermissionDenied
    if source not in LeadSource.values:
        raise ValidationError(_("请选择线索来源"), code=LeadErrorCode.SOURCE_INVALID)
    if not description.strip():
        raise ValidationError(_("请填写线索内容"), code=LeadErrorCode.DESCRIPTION_REQUIRED)
    lead = Lead.objects.create(
        number=next_lead_number(department.region_code, timezone.localdate().year),
        entity=entity,
        department=department,
        source=source,
        description=description.strip(),
        created_by=actor,
    )
    _audit(AuditEventType.LEAD_REGISTERED, actor, lead, entity=entity.key, source=source)
    return lead


def _locked_registered(leads) -> list[Lead]:
    locked = list(
        Lead.objects.select_for_update()
        .select_related("entity", "department")
        .filter(pk__in=[lead.pk for lead in leads])
        .order_by("pk")
    )
    taken = [lead.number for lead in locked if lead.status != LeadStatus.REGISTERED]
    if taken:
        raise ValidationError(
            _("以下线索已转检查或已办结：%(n)s") % {"n": "、".join(taken)},
            code=LeadErrorCode.NOT_REGISTERED,
        )
    return locked


@transaction.atomic
def lead_act(
    *,
    actor,
    lead,
    items,
    planned_start: date,
    planned_end: date,
    randomness_source: str,
    randomness_due: datetime,
) -> tuple[SpotCheckTask, DrawBatch]:
    """A targeted check at once: a directed task over the lead's entity (count 1 of 1, i.e.
    100%) with the chosen item(s), in a draft batch ready for commitment; the normal draw then
    staffs it with random inspectors."""
    (lead,) = _locked_registered([lead])
    if not may_direct_check(actor, lead.department_id):
        raise PermissionDenied
    draft = TaskDraft(
        department_id=lead.department_id,
        directed=True,
        items=list(items),
        population_filter={"entity_keys": [lead.entity.key]},
        mode=DesignMode.COUNT,
        values={"*": 1},
        n=None,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    task = task_create(
        actor=actor,
        department=lead.department,
        draft=draft,
        name=(_("线索核查 %(n)s %(e)s") % {"n": lead.number, "e": lead.entity.name})[:200],
    )
    batch = batch_create(
        actor=actor,
        name=_("线索核查 %(n)s") % {"n": lead.number},
        tasks=[task],
        randomness_source=randomness_source,
        randomness_due=randomness_due,
    )
    lead.status, lead.task = LeadStatus.IN_CHECK, task
    lead.save(update_fields=["status", "task"])
    _audit(
        AuditEventType.LEAD_ACTED,
        actor,
        lead,
        action="targeted_check",
        task=task.number,
        batch=batch.number,
    )
    return task, batch


def _group_values(mode: str, value) -> dict:
    if mode == DesignMode.COUNT:
        try:
            return {"*": int(value)}
        except (TypeError, ValueError):
            pass
    elif mode == DesignMode.RATIO:
        return {"*": str(value)}
    raise ValidationError(_("专项抽查须按数量或按比例抽取"), code=LeadErrorCode.DESIGN_INVALID)


@transaction.atomic
def lead_group(
    *,
    actor,
    leads,
    items,
    mode: str,
    value,
    name: str,
    planned_start: date,
    planned_end: date,
) -> SpotCheckTask:
    """Similar leads of one department become one special draw task: directed, over all their
    entities, drawn by count or ratio (the directed minimum of 10% applies)."""
    locked = _locked_registered(leads)
    if len(locked) < 2:
        raise ValidationError(
            _("请至少选择两条线索合并为专项抽查"), code=LeadErrorCode.TOO_FEW_LEADS
        )
    departments = {lead.department_id for lead in locked}
    if len(departments) != 1:
        raise ValidationError(_("只能合并同一部门登记的线索"), code=LeadErrorCode.MIXED_DEPARTMENTS)
    department = locked[0].department
    if not may_direct_check(actor, department.pk):
        raise PermissionDenied
    draft = TaskDraft(
        department_id=department.pk,
        directed=True,
        items=list(items),
        population_filter={"entity_keys": sorted({lead.entity.key for lead in locked})},
        mode=mode,
        values=_group_values(mode, value),
        n=None,
        planned_start=planned_start,
        planned_end=planned_end,
    )
    task = task_create(actor=actor, department=department, draft=draft, name=name)
    for lead in locked:
        lead.status, lead.task = LeadStatus.IN_CHECK, task
        lead.save(update_fields=["status", "task"])
        _audit(AuditEventType.LEAD_ACTED, actor, lead, action="special_task", task=task.number)
    return task

"""Requests and decisions of on-site checks outside a draw (检查审批), audited."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Role
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.directory.selectors import entity_list
from spotcheck.plans.models import PlanStatus
from spotcheck.publication.workdays import working_days_between

from .caps import yearly_checks
from .errors import CheckErrorCode, refuse
from .models import CheckGround, CheckKind, CheckRequest, CheckRequestStatus

APPROVED_PLAN = (PlanStatus.APPROVED, PlanStatus.FILED, PlanStatus.PUBLISHED)


def _check_ground(kind, ground, entity, department, plan, lead, follow_up) -> None:
    if kind == CheckKind.SPECIAL:
        if plan is None or plan.department_id != department.pk or plan.status not in APPROVED_PLAN:
            refuse(_("专项检查须依据本部门已审核的检查计划"), CheckErrorCode.PLAN_REQUIRED)
        return
    if ground not in CheckGround.values or ground == CheckGround.SPECIAL_PLAN:
        refuse(_("个案检查须选择所列检查事由之一"), CheckErrorCode.GROUND_REQUIRED)
    if ground == CheckGround.LEAD and (lead is None or lead.entity_id != entity.pk):
        refuse(_("线索核查须选择该检查对象的线索"), CheckErrorCode.LEAD_REQUIRED)
    if ground == CheckGround.RECHECK and (follow_up is None or follow_up.entity_id != entity.pk):
        refuse(_("整改复查须选择该检查对象的后续处置"), CheckErrorCode.FOLLOW_UP_REQUIRED)


@transaction.atomic
def check_request_create(
    *,
    actor,
    kind: str,
    ground: str,
    entity,
    planned_date: date,
    description: str,
    plan=None,
    lead=None,
    follow_up=None,
    today: date | None = None,
) -> CheckRequest:
    """Ask for an on-site check outside a draw, before it happens; an emergency check is filed
    afterwards, within SPOTCHECK_CHECK_LIMITS["EMERGENCY_FILING_WORKING_DAYS"]. Over a yearly cap
    the request stands on its listed ground and is flagged for the office."""
    department = actor.department
    if department is None:
        raise PermissionDenied
    if not entity_list(user=actor).filter(pk=entity.pk).exists():
        raise PermissionDenied
    today = today or timezone.localdate()
    if kind == CheckKind.SPECIAL:
        ground = CheckGround.SPECIAL_PLAN
    _check_ground(kind, ground, entity, department, plan, lead, follow_up)
    if not description.strip():
        refuse(_("请填写检查依据和内容"), CheckErrorCode.DESCRIPTION_REQUIRED)
    if ground == CheckGround.EMERGENCY:
        allowed = settings.SPOTCHECK_CHECK_LIMITS["EMERGENCY_FILING_WORKING_DAYS"]
        if planned_date > today:
            refuse(_("应急检查在检查后补报，检查日期不能晚于今天"), CheckErrorCode.NOT_BEFORE)
        if working_days_between(planned_date, today) > allowed:
            refuse(
                _("应急检查须在检查后%(days)s个工作日内补报，已超过期限") % {"days": allowed},
                CheckErrorCode.FILED_LATE,
            )
    elif planned_date < today:
        refuse(_("检查须事先审批：检查日期不能早于今天"), CheckErrorCode.NOT_BEFORE)
    counted = yearly_checks(entity=entity, department=department, year=planned_date.year)
    over_cap = ground != CheckGround.RECHECK and counted.over_cap()
    request = CheckRequest.objects.create(
        kind=kind,
        ground=ground,
        entity=entity,
        department=department,
        plan=plan if kind == CheckKind.SPECIAL else None,
        lead=lead if ground == CheckGround.LEAD else None,
        follow_up=follow_up if ground == CheckGround.RECHECK else None,
        planned_date=planned_date,
        description=description.strip(),
        over_cap=over_cap,
        requested_by=actor,
    )
    audit_event_record(
        event_type=AuditEventType.CHECK_REQUESTED,
        actor=actor,
        department=department,
        target=request,
        extra={
            "entity": entity.key,
            "kind": kind,
            "ground": ground,
            "planned_date": planned_date.isoformat(),
            "over_cap": over_cap,
            "checks_this_year": {"department": counted.by_department, "total": counted.total},
        },
    )
    return request


def may_decide_check(actor, request: CheckRequest) -> bool:
    """The department's head (liaison) or reviewer; never the person who asked."""
    return (
        actor.department_id == request.department_id
        and actor.role in (Role.DEPARTMENT_ADMIN, Role.REVIEWER)
        and actor.pk != request.requested_by_id
    )


@transaction.atomic
def check_request_decide(
    *, actor, request: CheckRequest, approve: bool, note: str = "", today: date | None = None
) -> CheckRequest:
    request = CheckRequest.objects.select_for_update().select_related("entity").get(pk=request.pk)
    if not may_decide_check(actor, request):
        if actor.pk == request.requested_by_id:
            refuse(_("不能审批本人提出的检查申请"), CheckErrorCode.OWN_REQUEST)
        raise PermissionDenied
    if request.status != CheckRequestStatus.REQUESTED:
        refuse(_("该检查申请已审批"), CheckErrorCode.WRONG_STATE)
    today = today or timezone.localdate()
    if approve and request.ground != CheckGround.EMERGENCY and request.planned_date < today:
        refuse(_("检查日期已过：检查须在检查前审批"), CheckErrorCode.NOT_BEFORE)
    if not approve and not note.strip():
        refuse(_("不予批准须说明理由"), CheckErrorCode.NOTE_REQUIRED)
    request.status = CheckRequestStatus.APPROVED if approve else CheckRequestStatus.REFUSED
    request.decided_by, request.decided_at = actor, timezone.now()
    request.decision_note = note.strip()
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_event_record(
        event_type=AuditEventType.CHECK_DECIDED,
        actor=actor,
        department=request.department,
        target=request,
        extra={"entity": request.entity.key, "approved": approve, "note": request.decision_note},
    )
    return request

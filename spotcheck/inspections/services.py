"""Field work and results: arrive, complete or record why not, enter, submit, review, amend,
close. Every write is one audited transaction; states move only through FSM transitions."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .categories import category_rules_check
from .errors import ResultErrorCode
from .models import (
    AmendmentStatus,
    FieldVisit,
    ItemResult,
    ResultAmendment,
    ResultCategory,
    ResultStatus,
)
from .rules import can_close_visit, can_enter_result, can_review_result, serving_member

MIN_CONFIRMATIONS = 2


def _audit(event_type, actor, department, target, **extra) -> None:
    audit_event_record(
        event_type=event_type, actor=actor, department=department, target=target, extra=extra
    )


def ensure_results(visit) -> list[ItemResult]:
    """One result row per (task, item) of the visit; created on first use. A visit merged into
    another has none: its tasks' rows live on the visit that goes ahead."""
    if visit.merged_into_id is not None:
        return []
    FieldVisit.objects.get_or_create(visit=visit)
    for task in visit.tasks.select_related("department").prefetch_related("items"):
        for item in task.items.all():
            ItemResult.objects.get_or_create(
                visit=visit, task=task, item=item, defaults={"department": task.department}
            )
    return list(visit.results.select_related("item", "department"))


def _require_on_team(actor, visit):
    member = serving_member(actor, visit)
    if member is None:
        raise PermissionDenied
    return member


@transaction.atomic
def visit_arrive(*, actor, visit) -> FieldVisit:
    _require_on_team(actor, visit)
    field = _open_field(visit)
    if field.arrived_at is None:
        field.arrived_at = timezone.now()
        field.save(update_fields=["arrived_at"])
        _audit(AuditEventType.VISIT_ARRIVED, actor, actor.department, visit)
    return field


def _open_field(visit) -> FieldVisit:
    """The visit's field record, locked; refused once the outcome is recorded or closed, and on
    a visit merged into another (the team goes to that one)."""
    _refuse_if_merged(visit)
    ensure_results(visit)
    field = FieldVisit.objects.select_for_update().get(visit=visit)
    if field.closed_at is not None or field.outcome != FieldVisit.Outcome.PENDING:
        raise ValidationError(
            _("本次检查已记录结果或已办结，不能再更改现场情况"), code=ResultErrorCode.WRONG_STATE
        )
    return field


def _refuse_if_merged(visit) -> None:
    if visit.merged_into_id is not None:
        raise ValidationError(
            _("本次检查已合并到 %(visit)s，请在合并后的检查中办理")
            % {"visit": f"{visit.merged_into.batch.number}/{visit.merged_into.visit_id}"},
            code=ResultErrorCode.WRONG_STATE,
        )


def _allowed_categories(department_id, categories) -> list[ResultCategory]:
    """The standard list plus the department's own; anything else is ignored."""
    allowed = ResultCategory.objects.filter(
        Q(department__isnull=True) | Q(department=department_id)
    )
    return list(allowed.filter(pk__in=[c.pk for c in categories]))


def _results_due(day):
    return day + timedelta(days=settings.SPOTCHECK_RULES["RESULT_DAYS"])


@transaction.atomic
def visit_complete(*, actor, visit) -> FieldVisit:
    """On-site work done: results are due to the lead department within 10 days."""
    _require_on_team(actor, visit)
    field = _open_field(visit)
    now = timezone.now()
    field.arrived_at = field.arrived_at or now
    field.completed_at = now
    field.outcome = FieldVisit.Outcome.CHECKED
    field.results_due = _results_due(timezone.localdate(now))
    field.save()
    _audit(
        AuditEventType.VISIT_COMPLETED,
        actor,
        actor.department,
        visit,
        results_due=field.results_due.isoformat(),
    )
    return field


@transaction.atomic
def visit_not_possible(*, actor, visit, category: ResultCategory, note: str) -> FieldVisit:
    """Closed, unreachable, refused…: recorded with its standard category on every item,
    never silently dropped; the results then go through review like any other."""
    member = _require_on_team(actor, visit)
    if not category.visit_not_possible:
        raise ValidationError(
            _("该结果类别不适用于未能检查的情形"), code=ResultErrorCode.CATEGORY_NOT_ALLOWED
        )
    field = _open_field(visit)
    now = timezone.now()
    field.outcome = FieldVisit.Outcome.NOT_POSSIBLE
    field.not_possible_category = category
    field.not_possible_note = note
    field.arrived_at = field.arrived_at or now
    field.completed_at = now
    field.results_due = _results_due(timezone.localdate(now))
    field.save()
    for result in ItemResult.objects.select_for_update().filter(visit=visit):
        if result.status in (ResultStatus.NOT_ENTERED, ResultStatus.ENTERED, ResultStatus.RETURNED):
            result.enter()
            result.finding = note
            result.entered_by, result.entered_at = actor, now
            result.save()
            result.categories.set([category])
            result.confirmed_by.add(member)
    _audit(
        AuditEventType.VISIT_NOT_POSSIBLE,
        actor,
        actor.department,
        visit,
        category=category.code,
        note=note,
    )
    return field


def _locked_result(result) -> ItemResult:
    return (
        ItemResult.objects.select_for_update()
        .select_related("visit", "department")
        .get(pk=result.pk)
    )


@transaction.atomic
def result_enter(
    *,
    actor,
    result,
    categories,
    finding="",
    legal_basis="",
    measures="",
    method="on_site",
    confirmations=(),
) -> ItemResult:
    """Enter or correct a result before submission; `confirmations` are VisitInspector ids."""
    result = _locked_result(result)
    if not can_enter_result(actor, result):
        raise PermissionDenied
    if result.status not in (ResultStatus.NOT_ENTERED, ResultStatus.ENTERED, ResultStatus.RETURNED):
        raise ValidationError(
            _("结果已提交或已审核，不能修改；审核后的更正请提出更正申请"),
            code=ResultErrorCode.WRONG_STATE,
        )
    chosen = _allowed_categories(result.department_id, categories)
    category_rules_check(chosen, finding=finding, measures=measures)
    result.enter()
    result.finding, result.legal_basis, result.measures, result.method = (
        finding,
        legal_basis,
        measures,
        method,
    )
    result.entered_by, result.entered_at = actor, timezone.now()
    result.save()
    result.categories.set(chosen)
    team = result.visit.team.filter(recused_at__isnull=True)
    result.confirmed_by.set(team.filter(pk__in=list(confirmations)))
    _audit(
        AuditEventType.RESULT_ENTERED,
        actor,
        result.department,
        result,
        categories=sorted(c.code for c in chosen),
    )
    return result


@transaction.atomic
def result_submit(*, actor, result) -> ItemResult:
    result = _locked_result(result)
    if not can_enter_result(actor, result):
        raise PermissionDenied
    if result.status != ResultStatus.ENTERED:
        raise ValidationError(
            _("只有已录入的结果可以提交；退回的结果须重新录入后再提交"),
            code=ResultErrorCode.WRONG_STATE,
        )
    if not result.categories.exists():
        raise ValidationError(_("请至少选择一项检查结果"), code=ResultErrorCode.NO_CATEGORY)
    if result.confirmed_by.count() < MIN_CONFIRMATIONS:
        raise ValidationError(
            _("检查结果须经至少两名检查人员确认"), code=ResultErrorCode.TOO_FEW_CONFIRMATIONS
        )
    result.submit()
    result.submitted_at = timezone.now()
    result.save()
    _audit(AuditEventType.RESULT_SUBMITTED, actor, result.department, result)
    return result


def _require_reviewer(actor, result) -> None:
    """Nobody reviews a check they made: that case gets its own message."""
    if can_review_result(actor, result):
        return
    if serving_member(actor, result.visit) is not None:
        raise ValidationError(
            _("审核人不能是本次检查的执法人员"), code=ResultErrorCode.REVIEWER_ON_TEAM
        )
    raise PermissionDenied


_DECISIONS = {
    "approve": (ItemResult.approve, AuditEventType.RESULT_APPROVED),
    "return": (ItemResult.send_back, AuditEventType.RESULT_RETURNED),
    "reject": (ItemResult.reject, AuditEventType.RESULT_REJECTED),
}


@transaction.atomic
def result_review(*, actor, result, decision: str, note: str = "") -> ItemResult:
    """approve / return (with reason) / reject (with reason); never by one of the visit's
    inspectors. Approval of certain categories opens follow-ups and abnormal-list proposals."""
    from .followups import after_approval

    result = _locked_result(result)
    _require_reviewer(actor, result)
    if result.status != ResultStatus.SUBMITTED:
        raise ValidationError(_("只有待审核的结果可以审核"), code=ResultErrorCode.WRONG_STATE)
    if decision != "approve" and not note.strip():
        raise ValidationError(_("退回或不予采纳须填写原因"), code=ResultErrorCode.REASON_REQUIRED)
    move, event = _DECISIONS[decision]
    move(result)
    result.reviewer, result.reviewed_at, result.review_note = actor, timezone.now(), note
    result.save()
    _audit(event, actor, result.department, result, note=note)
    if decision == "approve":
        after_approval(actor=actor, result=result)
    return result


@transaction.atomic
def amendment_propose(
    *, actor, result, reason: str, categories, finding="", measures=""
) -> ResultAmendment:
    """An approved result is corrected only by an amendment with a reason and a reviewer."""
    result = _locked_result(result)
    if not (can_enter_result(actor, result) or actor.department_id == result.department_id):
        raise PermissionDenied
    if result.status != ResultStatus.APPROVED:
        raise ValidationError(_("只有已审核的结果需要更正申请"), code=ResultErrorCode.WRONG_STATE)
    if not reason.strip():
        raise ValidationError(_("更正须说明原因"), code=ResultErrorCode.REASON_REQUIRED)
    chosen = _allowed_categories(result.department_id, categories)
    if not chosen:
        raise ValidationError(_("请至少选择一项检查结果"), code=ResultErrorCode.NO_CATEGORY)
    # A blank finding or measure in an amendment keeps the approved one.
    category_rules_check(
        chosen, finding=finding or result.finding, measures=measures or result.measures
    )
    amendment = ResultAmendment.objects.create(
        result=result, reason=reason, finding=finding, measures=measures, proposed_by=actor
    )
    amendment.categories.set(chosen)
    _audit(AuditEventType.AMENDMENT_PROPOSED, actor, result.department, result, reason=reason)
    return amendment


@transaction.atomic
def amendment_review(*, actor, amendment, approve: bool) -> ResultAmendment:
    amendment = (
        ResultAmendment.objects.select_for_update()
        .select_related("result__visit")
        .get(pk=amendment.pk)
    )
    _require_reviewer(actor, amendment.result)
    if amendment.status != AmendmentStatus.PROPOSED:
        raise ValidationError(_("该更正已审核"), code=ResultErrorCode.WRONG_STATE)
    amendment.status = AmendmentStatus.APPROVED if approve else AmendmentStatus.REFUSED
    amendment.reviewer, amendment.reviewed_at = actor, timezone.now()
    amendment.save()
    _audit(
        AuditEventType.AMENDMENT_DECIDED,
        actor,
        amendment.result.department,
        amendment.result,
        approved=approve,
        amendment=amendment.pk,
    )
    return amendment


def effective_record(result) -> dict:
    """What stands now, field by field: the approved result with each approved amendment laid
    over it in order (an amendment's blank finding or measure keeps the earlier one)."""
    record = {
        "categories": list(result.categories.all()),
        "finding": result.finding,
        "measures": result.measures,
    }
    approved = result.amendments.filter(status=AmendmentStatus.APPROVED)
    for amendment in approved.order_by("reviewed_at", "pk").prefetch_related("categories"):
        record["categories"] = list(amendment.categories.all())
        record["finding"] = amendment.finding or record["finding"]
        record["measures"] = amendment.measures or record["measures"]
    return record


def effective_categories(result) -> list[ResultCategory]:
    """What stands now: the latest approved amendment, else the approved result."""
    latest = (
        result.amendments.filter(status=AmendmentStatus.APPROVED).order_by("-reviewed_at").first()
    )
    return list((latest or result).categories.all())


@transaction.atomic
def visit_close(*, actor, visit) -> FieldVisit:
    """The lead department closes a visit once every department's results are approved."""
    if not can_close_visit(actor, visit):
        raise PermissionDenied
    _refuse_if_merged(visit)
    ensure_results(visit)
    field = FieldVisit.objects.select_for_update().get(visit=visit)
    pending = visit.results.exclude(status=ResultStatus.APPROVED)
    if field.closed_at is not None:
        return field
    if pending.exists() or not visit.results.exists():
        names = "、".join(sorted({r.department.name for r in pending.select_related("department")}))
        raise ValidationError(
            _("以下部门的结果尚未审核通过：%(d)s") % {"d": names},
            code=ResultErrorCode.NOT_ALL_APPROVED,
        )
    field.closed_at, field.closed_by = timezone.now(), actor
    field.save(update_fields=["closed_at", "closed_by"])
    _audit(AuditEventType.VISIT_CLOSED, actor, visit.batch.department, visit)
    return field

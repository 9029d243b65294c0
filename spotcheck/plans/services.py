"""Writes for plans, tasks and joint checks. Each service is one audited transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.accounts.scoping import require_department_access
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .errors import JointCheckErrorCode, TaskErrorCode
from .models import (
    AnnualPlan,
    JointCheck,
    JointCheckStatus,
    PlanBatch,
    PlanStatus,
    SpotCheckTask,
    TaskStatus,
)
from .numbering import next_number
from .validation import TaskDraft, task_errors


def _audit(event_type, actor, department, target, **extra) -> None:
    audit_event_record(
        event_type=event_type, actor=actor, department=department, target=target, extra=extra
    )


# ---------------------------------------------------------------- annual plans


@transaction.atomic
def plan_create(*, actor, department, year: int, name: str) -> AnnualPlan:
    require_department_access(actor, department.pk)
    if not actor.can_manage_department_data:  # liaisons and the office plan; not reviewers
        raise PermissionDenied
    plan = AnnualPlan.objects.create(
        number=next_number("plan", department.region_code, year),
        department=department,
        year=year,
        name=name,
        created_by=actor,
    )
    _audit(AuditEventType.PLAN_CREATED, actor, department, plan, number=plan.number)
    return plan


_PLAN_MOVES = {
    # action: (states it may start from, state it ends in, who may do it)
    "submit": ((PlanStatus.DRAFT, PlanStatus.RETURNED), PlanStatus.SUBMITTED, "author"),
    "approve": ((PlanStatus.SUBMITTED,), PlanStatus.APPROVED, "reviewer"),
    "return": ((PlanStatus.SUBMITTED,), PlanStatus.RETURNED, "reviewer"),
    "file": ((PlanStatus.APPROVED,), PlanStatus.FILED, "author"),
    "publish": ((PlanStatus.FILED,), PlanStatus.PUBLISHED, "office"),
}

PLAN_ACTIONS = tuple(_PLAN_MOVES)


def _may(actor, who: str, department_id: int) -> bool:
    if who == "office":
        return actor.is_office
    if actor.is_office:
        return True
    if actor.department_id != department_id:
        return False
    if who == "reviewer":
        return actor.role == "reviewer"
    return actor.can_manage_department_data


@transaction.atomic
def plan_transition(*, actor, plan: AnnualPlan, action: str, reason: str = "") -> AnnualPlan:
    """submit → approve (reviewer) or return (with reason) → file with the office → publish."""
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    sources, target, who = _PLAN_MOVES[action]
    if not _may(actor, who, plan.department_id):
        raise PermissionDenied
    if plan.status not in sources:
        raise ValidationError(_("计划当前状态不能执行此操作"), code="wrong_state")
    if action == "return" and not reason.strip():
        raise ValidationError(_("退回须填写原因"), code="reason_required")
    plan.status = target
    plan.return_reason = reason if action == "return" else plan.return_reason
    if action == "publish":
        plan.published_at = timezone.now()
    plan.save()
    _audit(
        AuditEventType.PLAN_TRANSITION, actor, plan.department, plan, action=action, reason=reason
    )
    return plan


# Once submitted, a plan's content is what was reviewed, filed and published; it no longer
# changes in place.
_PLAN_EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)


@transaction.atomic
def plan_batch_add(*, actor, plan: AnnualPlan, items, **fields) -> PlanBatch:
    """Add a batch to a draft (or returned) plan; `fields` are PlanBatch's own columns."""
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if not _may(actor, "author", plan.department_id):
        raise PermissionDenied
    if plan.status not in _PLAN_EDITABLE:
        raise ValidationError(
            _("计划已提交审核或已公示，不能再添加批次；修改已公示的计划须发布新版本并说明原因"),
            code="plan_not_editable",
        )
    batch = PlanBatch.objects.create(plan=plan, **fields)
    batch.items.set(items)
    _audit(
        AuditEventType.PLAN_BATCH_ADDED,
        actor,
        plan.department,
        batch,
        plan=plan.number,
        name=batch.name,
        items=sorted(item.pk for item in items),
    )
    return batch


@transaction.atomic
def plan_revise(*, actor, plan: AnnualPlan, reason: str) -> AnnualPlan:
    """Start a new version of a published plan: a draft with the same batches and a reason.

    It goes through review, filing and publication like any plan; until then the public sees
    the version it replaces.
    """
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if not _may(actor, "author", plan.department_id):
        raise PermissionDenied
    if plan.status != PlanStatus.PUBLISHED:
        raise ValidationError(_("只有已公示的计划需要以新版本修订"), code="wrong_state")
    if not reason.strip():
        raise ValidationError(_("修订已公示的计划须说明原因"), code="reason_required")
    if AnnualPlan.objects.filter(supersedes=plan).exists():
        raise ValidationError(_("该计划已有新版本，请修改新版本"), code="already_revised")
    revision = AnnualPlan.objects.create(
        number=next_number("plan", plan.department.region_code, plan.year),
        department=plan.department,
        year=plan.year,
        name=plan.name,
        created_by=actor,
        supersedes=plan,
        revision_reason=reason.strip(),
    )
    for batch in plan.batches.prefetch_related("items"):
        items = list(batch.items.all())
        batch.pk = None
        batch.plan = revision
        batch.save()
        batch.items.set(items)
    _audit(
        AuditEventType.PLAN_REVISED,
        actor,
        plan.department,
        revision,
        number=revision.number,
        supersedes=plan.number,
        reason=reason.strip(),
    )
    return revision


# ---------------------------------------------------------------- tasks


def _check(draft: TaskDraft) -> None:
    errors = task_errors(draft)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def task_create(
    *, actor, department, draft: TaskDraft, name: str, plan=None, joint_check=None
) -> SpotCheckTask:
    """Refuses a task that breaks a rule; the message names each one."""
    require_department_access(actor, department.pk)
    if plan is not None and plan.department_id != department.pk:
        raise PermissionDenied
    _check(draft)
    task = SpotCheckTask.objects.create(
        number=next_number("task", department.region_code, draft.planned_start.year),
        name=name,
        department=department,
        plan=plan,
        joint_check=joint_check,
        directed=draft.directed,
        population_filter=draft.population_filter,
        design_mode=draft.mode,
        design_values=draft.values,
        design_n=draft.n,
        planned_start=draft.planned_start,
        planned_end=draft.planned_end,
        status=TaskStatus.READY,
        created_by=actor,
    )
    task.items.set(draft.items)
    _audit(AuditEventType.TASK_CREATED, actor, department, task, number=task.number)
    return task


@transaction.atomic
def task_update(*, actor, task: SpotCheckTask, draft: TaskDraft, name: str) -> SpotCheckTask:
    task = SpotCheckTask.objects.select_for_update().get(pk=task.pk)
    require_department_access(actor, task.department_id)
    if not task.is_editable:
        raise ValidationError(
            _("任务已锁定（承诺已公布），不能修改"), code=TaskErrorCode.NOT_EDITABLE
        )
    _check(draft)
    task.name = name
    task.directed = draft.directed
    task.population_filter = draft.population_filter
    task.design_mode = draft.mode
    task.design_values = draft.values
    task.design_n = draft.n
    task.planned_start, task.planned_end = draft.planned_start, draft.planned_end
    task.save()
    task.items.set(draft.items)
    _audit(AuditEventType.TASK_UPDATED, actor, task.department, task, number=task.number)
    return task


# ---------------------------------------------------------------- joint checks


@transaction.atomic
def joint_check_create(*, actor, name: str, partners, planned_start, planned_end) -> JointCheck:
    """The actor's department leads (发起部门) and invites the partners (配合部门)."""
    if actor.department is None or not actor.can_manage_department_data:
        raise PermissionDenied
    lead = actor.department
    joint = JointCheck.objects.create(
        number=next_number("joint", lead.region_code, planned_start.year),
        name=name,
        lead_department=lead,
        planned_start=planned_start,
        planned_end=planned_end,
        created_by=actor,
    )
    joint.partners.set([p for p in partners if p.pk != lead.pk])
    _audit(
        AuditEventType.JOINT_CHECK_CREATED,
        actor,
        lead,
        joint,
        partners=sorted(p.code for p in partners),
    )
    return joint


def joint_check_missing_departments(joint: JointCheck) -> list:
    """Departments of the joint check that have not yet added their task."""
    with_task = set(joint.tasks.values_list("department_id", flat=True))
    return [d for d in [joint.lead_department, *joint.partners.all()] if d.pk not in with_task]


@transaction.atomic
def joint_check_submit(*, actor, joint: JointCheck) -> JointCheck:
    joint = JointCheck.objects.select_for_update().get(pk=joint.pk)
    if actor.department_id != joint.lead_department_id and not actor.is_office:
        raise PermissionDenied
    if joint.status not in (JointCheckStatus.DRAFT, JointCheckStatus.RETURNED):
        raise ValidationError(_("联合抽查当前状态不能提交"), code=JointCheckErrorCode.WRONG_STATE)
    missing = joint_check_missing_departments(joint)
    if missing:
        names = "、".join(d.name for d in missing)
        raise ValidationError(
            _("以下部门尚未添加抽查任务：%(names)s") % {"names": names},
            code=JointCheckErrorCode.MISSING_TASKS,
        )
    joint.status = JointCheckStatus.SUBMITTED
    joint.save(update_fields=["status"])
    _audit(
        AuditEventType.JOINT_CHECK_TRANSITION, actor, joint.lead_department, joint, action="submit"
    )
    return joint


@transaction.atomic
def joint_check_decide(*, actor, joint: JointCheck, approve: bool, reason: str = "") -> JointCheck:
    """The coordinating office approves a joint check, or returns it with a reason."""
    if not actor.is_office:
        raise PermissionDenied
    joint = JointCheck.objects.select_for_update().get(pk=joint.pk)
    if joint.status != JointCheckStatus.SUBMITTED:
        raise ValidationError(_("联合抽查当前状态不能审批"), code=JointCheckErrorCode.WRONG_STATE)
    if not approve and not reason.strip():
        raise ValidationError(_("退回须填写原因"), code="reason_required")
    joint.status = JointCheckStatus.APPROVED if approve else JointCheckStatus.RETURNED
    joint.return_reason = "" if approve else reason
    joint.save(update_fields=["status", "return_reason"])
    _audit(
        AuditEventType.JOINT_CHECK_TRANSITION,
        actor,
        joint.lead_department,
        joint,
        action="approve" if approve else "return",
        reason=reason,
    )
    return joint


def joint_check_task_allowed(actor, joint: JointCheck) -> bool:
    """A department may add its task only to a joint check it leads or was invited to."""
    if joint.status not in (JointCheckStatus.DRAFT, JointCheckStatus.RETURNED):
        return False
    return actor.department_id in joint.department_ids()

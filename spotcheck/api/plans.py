from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from spotcheck.accounts.models import Department
from spotcheck.items.models import CheckItemVersion
from spotcheck.plans import selectors, services
from spotcheck.plans.errors import JointCheckErrorCode
from spotcheck.plans.validation import TaskDraft

from .auditing import audited_list
from .pagination import CursorIn, keyset_page
from .schemas import ERRORS, JointCheckOut, TaskIn, TaskOut, cursor_page
from .types import LONG_TEXT, Id, Text

router = Router()


def _task_out(task) -> dict:
    return {
        "id": task.pk,
        "number": task.number,
        "name": task.name,
        "department": task.department.code,
        "status": task.status,
        "design_mode": task.design_mode,
        "design_values": task.design_values,
        "joint_check_id": task.joint_check_id,
    }


class PlanOut(Schema):
    id: int
    number: str
    department: str
    year: int
    name: str
    status: str
    return_reason: str
    task_ids: list[int]


def _plan_out(plan) -> dict:
    return {
        "id": plan.pk,
        "number": plan.number,
        "department": plan.department.code,
        "year": plan.year,
        "name": plan.name,
        "status": plan.status,
        "return_reason": plan.return_reason,
        "task_ids": sorted(plan.tasks.values_list("pk", flat=True)),
    }


@router.get("plans", response={200: cursor_page(PlanOut), **ERRORS})
@audited_list("plans")
def list_plans(request, page: Query[CursorIn]):
    """Annual plans of the caller's department (all for the office)."""
    queryset = selectors.plan_list(user=request.user).select_related("department")
    return keyset_page(queryset, page, _plan_out)


@router.get("plans/{plan_id}", response={200: PlanOut, **ERRORS})
def get_plan(request, plan_id: Id):
    return _plan_out(selectors.access_plan(request.user, plan_id))


class PlanIn(Schema):
    year: int = Field(ge=2000, le=2100)
    name: Text(200, min_length=1)


class PlanMoveIn(Schema):
    # submit and file: the author; approve and return: the reviewer; publish: the office
    action: Literal["submit", "approve", "return", "file", "publish"]
    reason: Text(LONG_TEXT) = ""  # required to return


@router.post("plans", response={201: PlanOut, **ERRORS})
def create_plan(request, payload: PlanIn):
    """A draft annual plan of the caller's department."""
    if request.user.department is None:
        raise PermissionDenied
    plan = services.plan_create(
        actor=request.user, department=request.user.department, year=payload.year, name=payload.name
    )
    return Status(201, _plan_out(plan))


@router.post("plans/{plan_id}/move", response={200: PlanOut, **ERRORS})
def move_plan(request, plan_id: Id, payload: PlanMoveIn):
    """Submit, approve, return, file or publish: the same rules as the plan's page."""
    plan = selectors.access_plan(request.user, plan_id)
    plan = services.plan_transition(
        actor=request.user, plan=plan, action=payload.action, reason=payload.reason
    )
    return _plan_out(plan)


@router.get("tasks", response={200: cursor_page(TaskOut), **ERRORS})
@audited_list("tasks")
def list_tasks(request, page: Query[CursorIn]):
    queryset = selectors.task_list(user=request.user).select_related("department")
    return keyset_page(queryset, page, _task_out)


@router.get("tasks/{task_id}", response={200: TaskOut, **ERRORS})
def get_task(request, task_id: Id):
    return _task_out(selectors.access_task(request.user, task_id))


@router.post("tasks", response={201: TaskOut, **ERRORS})
def create_task(request, payload: TaskIn):
    """Create a task of the caller's department; the same rules as the form apply."""
    user = request.user
    # The same check as the task form: liaisons and the office write tasks, not reviewers or
    # inspectors.
    if user.department is None or not user.can_manage_department_data:
        raise PermissionDenied
    joint = None
    if payload.joint_check_id is not None:
        joint = selectors.access_joint_check(user, payload.joint_check_id)
        if not services.joint_check_task_allowed(user, joint):
            raise PermissionDenied
    versions = list(
        CheckItemVersion.objects.filter(pk__in=payload.item_version_ids).select_related("item")
    )
    draft = TaskDraft(
        department_id=user.department_id,
        directed=payload.directed,
        items=versions,
        population_filter=payload.population_filter.dict(exclude_unset=True),
        mode=payload.design_mode,
        values=payload.design_values,
        n=payload.design_n,
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
    )
    task = services.task_create(
        actor=user, department=user.department, draft=draft, name=payload.name, joint_check=joint
    )
    return Status(201, _task_out(task))


@router.get("joint-checks", response={200: cursor_page(JointCheckOut), **ERRORS})
@audited_list("joint_checks")
def list_joint_checks(request, page: Query[CursorIn]):
    """Joint checks the caller's department leads or joins (all for the office)."""
    return keyset_page(selectors.joint_check_list(user=request.user), page, _joint_out)


@router.get("joint-checks/{joint_id}", response={200: JointCheckOut, **ERRORS})
def get_joint_check(request, joint_id: Id):
    return _joint_out(selectors.access_joint_check(request.user, joint_id))


class JointCheckIn(Schema):
    name: Text(200, min_length=1)
    partners: list[Text(32)] = Field(min_length=1, max_length=50)  # department codes
    planned_start: date
    planned_end: date


class JointCheckMoveIn(Schema):
    action: Literal["submit", "approve", "return"]  # submit: the lead; approve, return: office
    reason: Text(LONG_TEXT) = ""  # required to return


@router.post("joint-checks", response={201: JointCheckOut, **ERRORS})
def create_joint_check(request, payload: JointCheckIn):
    """A joint check led by the caller's department, inviting the partner departments."""
    user = request.user
    if user.department is None:
        raise PermissionDenied
    partners = list(
        Department.objects.filter(is_active=True, code__in=payload.partners).exclude(
            pk=user.department_id
        )
    )
    if len(partners) != len(set(payload.partners)):
        raise ValidationError(
            _("配合部门不存在或为本部门"), code=JointCheckErrorCode.PARTNER_INVALID
        )
    joint = services.joint_check_create(
        actor=user,
        name=payload.name,
        partners=partners,
        planned_start=payload.planned_start,
        planned_end=payload.planned_end,
    )
    return Status(201, _joint_out(joint))


@router.post("joint-checks/{joint_id}/move", response={200: JointCheckOut, **ERRORS})
def move_joint_check(request, joint_id: Id, payload: JointCheckMoveIn):
    joint = selectors.access_joint_check(request.user, joint_id)
    if payload.action == "submit":
        joint = services.joint_check_submit(actor=request.user, joint=joint)
    else:
        joint = services.joint_check_decide(
            actor=request.user,
            joint=joint,
            approve=payload.action == "approve",
            reason=payload.reason,
        )
    return _joint_out(joint)


def _joint_out(joint) -> dict:
    return {
        "id": joint.pk,
        "number": joint.number,
        "name": joint.name,
        "lead_department": joint.lead_department.code,
        "partners": sorted(d.code for d in joint.partners.all()),
        "status": joint.status,
        "task_ids": sorted(joint.tasks.values_list("pk", flat=True)),
    }

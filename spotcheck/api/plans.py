from django.core.exceptions import PermissionDenied
from ninja import Router, Status

from spotcheck.items.models import CheckItemVersion
from spotcheck.plans import selectors, services
from spotcheck.plans.validation import TaskDraft

from .schemas import ERRORS, JointCheckOut, TaskIn, TaskOut
from .types import Id

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


@router.get("tasks", response={200: list[TaskOut], **ERRORS})
def list_tasks(request):
    return [_task_out(t) for t in selectors.task_list(user=request.user)[:500]]


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


@router.get("joint-checks", response={200: list[JointCheckOut], **ERRORS})
def list_joint_checks(request):
    return [_joint_out(j) for j in selectors.joint_check_list(user=request.user)[:200]]


@router.get("joint-checks/{joint_id}", response={200: JointCheckOut, **ERRORS})
def get_joint_check(request, joint_id: Id):
    return _joint_out(selectors.access_joint_check(request.user, joint_id))


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

"""Thin views for plans, tasks and joint checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from spotcheck.common.feedback import flash_errors
from spotcheck.common.pagination import paginate
from spotcheck.common.params import id_or_404
from spotcheck.items.selectors import joint_field_for_proposal

from . import selectors, services
from .forms import JointCheckForm, PlanBatchForm, PlanForm, ReasonForm, TaskForm, task_initial
from .population import stratum_sizes
from .preview import task_preview
from .validation import expected_sample


def _errors_to_form(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@login_required
def plan_list(request):
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        if request.user.department is None:
            raise PermissionDenied
        if form.is_valid():
            plan = services.plan_create(
                actor=request.user, department=request.user.department, **form.cleaned_data
            )
            return redirect("plans:plan_detail", plan_id=plan.pk)
    page = paginate(request, selectors.plan_list(user=request.user))
    return render(request, "plans/plan_list.html", {"page": page, "form": form})


@login_required
def plan_detail(request, plan_id):
    plan = selectors.access_plan(request.user, plan_id)
    batch_form = PlanBatchForm(request.POST or None, department_id=plan.department_id)
    if request.method == "POST" and batch_form.is_valid():
        fields = dict(batch_form.cleaned_data)
        try:
            services.plan_batch_add(
                actor=request.user, plan=plan, items=fields.pop("items"), **fields
            )
        except ValidationError as error:
            _errors_to_form(batch_form, error)
        else:
            return redirect("plans:plan_detail", plan_id=plan.pk)
    context = {
        "plan": plan,
        "batch_form": batch_form,
        "reason_form": ReasonForm(),
        "batches": plan.batches.prefetch_related("items"),
        "tasks": plan.tasks.all(),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
@require_POST
def plan_revise(request, plan_id):
    plan = selectors.access_plan(request.user, plan_id)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        revision = services.plan_revise(
            actor=request.user, plan=plan, reason=form.cleaned_data.get("reason", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("plans:plan_detail", plan_id=plan.pk)
    return redirect("plans:plan_detail", plan_id=revision.pk)


@login_required
@require_POST
def plan_transition(request, plan_id, action):
    if action not in services.PLAN_ACTIONS:
        raise Http404
    plan = selectors.access_plan(request.user, plan_id)
    try:
        services.plan_transition(
            actor=request.user, plan=plan, action=action, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("plans:plan_detail", plan_id=plan.pk)


@login_required
def task_list(request):
    page = paginate(request, selectors.task_list(user=request.user))
    return render(request, "plans/task_list.html", {"page": page})


@login_required
def task_detail(request, task_id):
    task = selectors.access_task(request.user, task_id)
    sizes = stratum_sizes(task.population_filter, task.department_id)
    expected = expected_sample(task.design_mode, task.design_values, task.design_n, sizes)
    context = {
        "task": task,
        "sizes": sorted(sizes.items()),
        "population": sum(sizes.values()),
        "expected": round(float(expected)),
        "items": task.items.select_related("item"),
    }
    return render(request, "plans/task_detail.html", context)


def _task_department(user, task_id):
    """The department whose task is being written; the same checks as editing it."""
    task = selectors.access_task(user, task_id) if task_id else None
    if task is not None and task.department_id != user.department_id and not user.is_office:
        raise PermissionDenied  # the lead department sees partners' tasks but does not edit them
    department = task.department if task else user.department
    if department is None or not user.can_manage_department_data:
        raise PermissionDenied
    return task, department


@login_required
@require_POST
def task_preview_view(request, task_id=None):
    """The live figures and rule checks beside the task form (htmx posts the form here)."""
    _task, department = _task_department(request.user, task_id)
    form = TaskForm(request.POST, department=department)
    return render(request, "plans/_task_preview.html", {"preview": task_preview(form)})


@login_required
def task_edit(request, task_id=None):
    user = request.user
    task, department = _task_department(user, task_id)
    joint = None
    if task is None and (joint_id := request.GET.get("joint")):
        joint = selectors.access_joint_check(user, id_or_404(joint_id))
        if not services.joint_check_task_allowed(user, joint):
            raise PermissionDenied
    initial = task_initial(task) if task else {}
    if joint:
        initial |= {
            "planned_start": joint.planned_start,
            "planned_end": joint.planned_end,
            "name": f"{joint.name}（{department.name}）",
        }
    form = TaskForm(request.POST or None, initial=initial, department=department)
    if request.method == "POST" and form.is_valid():
        try:
            if task is None:
                task = services.task_create(
                    actor=user,
                    department=department,
                    draft=form.draft(),
                    name=form.cleaned_data["name"],
                    plan=form.cleaned_data["plan"],
                    joint_check=joint,
                )
            else:
                services.task_update(
                    actor=user, task=task, draft=form.draft(), name=form.cleaned_data["name"]
                )
            messages.success(request, _("任务已保存，通过全部规则检查"))
            return redirect("plans:task_detail", task_id=task.pk)
        except ValidationError as error:
            _errors_to_form(form, error)
    return render(request, "plans/task_form.html", {"form": form, "task": task, "joint": joint})


@login_required
def joint_check_list(request):
    form = JointCheckForm(
        request.POST or None,
        user=request.user,
        initial=_proposal(request.GET.get("field"), request.user),
    )
    if request.method == "POST" and form.is_valid():
        joint = services.joint_check_create(actor=request.user, **form.cleaned_data)
        return redirect("plans:joint_check_detail", joint_id=joint.pk)
    page = paginate(request, selectors.joint_check_list(user=request.user))
    return render(request, "plans/joint_check_list.html", {"page": page, "form": form})


def _proposal(field_id: str | None, user) -> dict:
    """A joint check started from a field of the joint-item list proposes its departments."""
    if not field_id or not field_id.isdigit():
        return {}
    field = joint_field_for_proposal(int(field_id))
    if field is None:
        return {}
    partners = [d for d in field.proposed_departments() if d.pk != user.department_id]
    return {"name": field.name, "partners": partners}


@login_required
def joint_check_detail(request, joint_id):
    joint = selectors.access_joint_check(request.user, joint_id)
    visible_tasks = selectors.task_list(user=request.user).filter(joint_check=joint)
    context = {
        "joint": joint,
        "tasks": visible_tasks.prefetch_related("items"),
        "missing": services.joint_check_missing_departments(joint),
        "may_add_task": services.joint_check_task_allowed(request.user, joint)
        and not joint.tasks.filter(department=request.user.department_id).exists(),
        "reason_form": ReasonForm(),
    }
    return render(request, "plans/joint_check_detail.html", context)


@login_required
@require_POST
def joint_check_action(request, joint_id, action):
    if action not in ("submit", "approve", "return"):
        raise Http404
    joint = selectors.access_joint_check(request.user, joint_id)
    try:
        if action == "submit":
            services.joint_check_submit(actor=request.user, joint=joint)
        else:
            services.joint_check_decide(
                actor=request.user,
                joint=joint,
                approve=action == "approve",
                reason=request.POST.get("reason", ""),
            )
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("plans:joint_check_detail", joint_id=joint.pk)

"""User-scoped reads of plans, tasks and joint checks."""

from django.db.models import F, Q, QuerySet

from spotcheck.accounts.scoping import get_scoped_or_404, scope_to_department
from spotcheck.items.models import CheckItemVersion

from .models import AnnualPlan, JointCheck, SpotCheckTask


def plan_list(*, user) -> QuerySet[AnnualPlan]:
    return scope_to_department(AnnualPlan.objects.select_related("department"), user)


def access_plan(user, plan_id: int) -> AnnualPlan:
    return get_scoped_or_404(plan_list(user=user), pk=plan_id)


def published_plans() -> QuerySet[AnnualPlan]:
    """Published plans, each in its newest published version."""
    return (
        AnnualPlan.objects.filter(published_at__isnull=False)
        .exclude(superseded_by__published_at__isnull=False)
        .select_related("department")
    )


def task_list(*, user) -> QuerySet[SpotCheckTask]:
    """Own department's tasks, plus every task of a joint check the department leads."""
    queryset = SpotCheckTask.objects.select_related("department", "joint_check")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_office:
        return queryset
    return queryset.filter(
        Q(department=user.department_id) | Q(joint_check__lead_department=user.department_id)
    )


def access_task(user, task_id: int) -> SpotCheckTask:
    return get_scoped_or_404(task_list(user=user), pk=task_id)


def joint_check_list(*, user) -> QuerySet[JointCheck]:
    queryset = JointCheck.objects.select_related("lead_department").prefetch_related("partners")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_office:
        return queryset
    return queryset.filter(
        Q(lead_department=user.department_id) | Q(partners=user.department_id)
    ).distinct()


def access_joint_check(user, joint_id: int) -> JointCheck:
    return get_scoped_or_404(joint_check_list(user=user), pk=joint_id)


def current_item_versions(department_id: int) -> QuerySet[CheckItemVersion]:
    """The department's list as it stands: only these may go into a task."""
    return (
        CheckItemVersion.objects.filter(
            item__department=department_id, item__is_active=True, item__current_version=F("pk")
        )
        .select_related("item")
        .order_by("item__code")
    )

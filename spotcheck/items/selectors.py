"""User-scoped reads of check-item lists, and the public (published) list."""

from django.db.models import Q, QuerySet

from spotcheck.accounts.models import Department
from spotcheck.accounts.scoping import get_scoped_or_404, scope_to_department

from .models import CheckItem, JointField, JointItem


def item_list(*, user, filters: dict | None = None) -> QuerySet[CheckItem]:
    queryset = scope_to_department(CheckItem.objects.current(), user)
    filters = filters or {}
    if query := (filters.get("q") or "").strip():
        queryset = queryset.filter(
            Q(current_version__name__contains=query) | Q(current_version__category__contains=query)
        )
    if kind := filters.get("kind"):
        queryset = queryset.filter(current_version__kind=kind)
    if department := filters.get("department"):
        queryset = queryset.filter(department__code=department)
    return queryset.order_by("department__code", "code")


def access_item_by_id(user, item_id: int) -> CheckItem:
    return get_scoped_or_404(item_list(user=user), pk=item_id)


def joint_item_list(*, user) -> QuerySet[JointItem]:
    queryset = JointItem.objects.select_related("field").prefetch_related("departments")
    if not user.is_office:
        queryset = queryset.filter(departments=user.department_id)
    return queryset.distinct()


def public_item_list(department: Department) -> QuerySet[CheckItem]:
    """A department's published list (随机抽查事项清单), as the public sees it."""
    return CheckItem.objects.current().filter(department=department).order_by("code")


def public_joint_fields() -> QuerySet[JointField]:
    """The joint-item list (部门联合抽查事项清单) as published: fields, items, departments."""
    return JointField.objects.prefetch_related(
        "partners", "joint_items__lead_departments"
    ).order_by("number", "name")


def joint_field_for_proposal(field_id: int) -> JointField | None:
    """A field of the (public) joint list whose departments a new joint check proposes."""
    return (
        JointField.objects.prefetch_related("partners", "joint_items__lead_departments")
        .filter(pk=field_id)
        .first()
    )

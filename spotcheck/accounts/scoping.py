"""Department scoping shared by every selector: the office sees all, others their own."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404


def scope_to_department[M](queryset: QuerySet[M], user, field: str = "department") -> QuerySet[M]:
    """Rows of `queryset` whose `field` is the user's department; everything for the office."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_office:
        return queryset
    if user.department_id is None:
        return queryset.none()
    return queryset.filter(**{field: user.department_id})


def get_scoped_or_404[M](queryset: QuerySet[M], **lookup) -> M:
    """One row from an already-scoped queryset; another department's row is simply missing."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc


def department_choices_for(user):
    """Departments a user may act for: all for the office, only their own otherwise."""
    from .models import Department

    return scope_to_department(Department.objects.filter(is_active=True), user, field="pk")


def require_department_access(actor, department_id: int) -> None:
    """Writes for a department come from its own users or the office. `actor` None is the
    operator at the command line, who has the whole database anyway."""
    if actor is not None and not (actor.is_office or actor.department_id == department_id):
        raise PermissionDenied

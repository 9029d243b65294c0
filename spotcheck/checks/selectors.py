from django.db.models import QuerySet

from spotcheck.accounts.models import Role
from spotcheck.accounts.scoping import get_scoped_or_404, scope_to_department

from .models import CheckRequest


def check_request_list(*, user, filters: dict | None = None) -> QuerySet[CheckRequest]:
    """An inspector's own requests; the department's for its liaisons and reviewers; every
    department's for the office, which also filters the ones over a yearly cap."""
    queryset = scope_to_department(
        CheckRequest.objects.select_related("entity", "department", "requested_by", "decided_by"),
        user,
    )
    if user.role == Role.INSPECTOR and not user.is_office:
        queryset = queryset.filter(requested_by=user)
    filters = filters or {}
    if filters.get("over_cap") in ("1", True):
        queryset = queryset.filter(over_cap=True)
    if status := filters.get("status"):
        queryset = queryset.filter(status=status)
    return queryset


def access_check_request(user, pk: int) -> CheckRequest:
    return get_scoped_or_404(check_request_list(user=user), pk=pk)

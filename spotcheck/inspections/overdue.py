"""The 10-day rule: results are due to the lead department within 10 days of the visit. These
reads name the results past their deadline and the teams and departments that owe them."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from spotcheck.accounts.models import Role
from spotcheck.draws.models import Visit, VisitInspector

from .models import ItemResult


def overdue_results(*, today: date | None = None) -> QuerySet[ItemResult]:
    """Every result whose deadline has passed and that is still not submitted (unscoped: for
    the command line)."""
    return (
        ItemResult.objects.overdue(today or timezone.localdate())
        .select_related("department", "item", "visit__entity", "visit__batch", "visit__field")
        .order_by("department__code", "visit__field__results_due", "visit__batch__number", "pk")
    )


def overdue_result_list(*, user, today: date | None = None) -> QuerySet[ItemResult]:
    """A department's own overdue results and those owed to it as the lead (organising)
    department; an inspector's only on the visits he serves on; all for the office."""
    results = overdue_results(today=today)
    if not user.is_authenticated:
        return results.none()
    if user.is_office:
        return results
    if user.role == Role.INSPECTOR:
        return results.filter(
            department=user.department_id,
            visit__team__inspector__user=user.pk,
            visit__team__recused_at__isnull=True,
        ).distinct()
    return results.filter(
        Q(department=user.department_id) | Q(visit__batch__department=user.department_id)
    )


@dataclass
class OverdueVisit:
    visit: Visit
    results_due: date
    days_late: int
    results: list[ItemResult] = field(default_factory=list)
    team: list[VisitInspector] = field(default_factory=list)

    @property
    def departments(self) -> list:
        return sorted({r.department for r in self.results}, key=lambda d: d.code)


def _serving_team() -> Prefetch:
    return Prefetch(
        "team",
        queryset=VisitInspector.objects.serving()
        .select_related("inspector", "department")
        .order_by("department__code", "rank"),
        to_attr="serving_team",
    )


def overdue_visits(results, *, today: date | None = None) -> list[OverdueVisit]:
    """The results grouped by visit, with each visit's serving team; oldest deadline first."""
    today = today or timezone.localdate()
    by_visit: dict[int, list[ItemResult]] = defaultdict(list)
    for result in results:
        by_visit[result.visit_id].append(result)
    visits = (
        Visit.objects.filter(pk__in=by_visit)
        .select_related("entity", "batch__department", "field")
        .prefetch_related(_serving_team())
    )
    rows = [
        OverdueVisit(
            visit=visit,
            results_due=visit.field.results_due,
            days_late=(today - visit.field.results_due).days,
            results=by_visit[visit.pk],
            team=visit.serving_team,
        )
        for visit in visits
    ]
    return sorted(
        rows, key=lambda row: (row.results_due, row.visit.batch.number, row.visit.visit_id)
    )


def overdue_visit_list(*, user, today: date | None = None) -> list[OverdueVisit]:
    return overdue_visits(overdue_result_list(user=user, today=today), today=today)


def overdue_by_department_and_team(
    *, today: date | None = None
) -> dict[object, dict[tuple[str, ...], list[OverdueVisit]]]:
    """department → the department's serving inspectors on the visit → the visits they owe."""
    grouped: dict = defaultdict(lambda: defaultdict(list))
    for row in overdue_visits(overdue_results(today=today), today=today):
        for department in row.departments:
            team = tuple(m.inspector.name for m in row.team if m.department_id == department.pk)
            grouped[department][team].append(row)
    return {
        department: dict(teams)
        for department, teams in sorted(grouped.items(), key=lambda item: item[0].code)
    }

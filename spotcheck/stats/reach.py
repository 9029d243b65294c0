"""How far the regime reaches and how much it weighs on firms, per department: coverage of the
regulated population over 1 and 3 years, firms at or over the yearly per-department cap, on-site
checks against last year, and the firms' ratings of visits (aggregates only). A fixed number of
queries whatever the data size; `records` lists the rows behind each figure."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear

from spotcheck.checks.frequency import checks_at_department_cap
from spotcheck.directory.models import EntityStatus, MarketEntity
from spotcheck.draws.models import Visit
from spotcheck.firms.models import VisitRating
from spotcheck.firms.selectors import MIN_RATINGS_FOR_AVERAGE
from spotcheck.inspections.models import FieldVisit, ItemResult
from spotcheck.items.models import CheckMethod

from .filters import DashboardFilters

Supervision = MarketEntity.departments.through
VisitTask = Visit.tasks.through


def rate(part: int | None, whole: int | None) -> float | None:
    if not whole:
        return None
    return round(100 * (part or 0) / whole, 1)


@dataclass
class ReachRow:
    department_id: int
    name: str
    population: int = 0  # operating firms in the department's directory (filters applied)
    covered_1y: int = 0  # … drawn for one of its tasks this year
    covered_3y: int = 0  # … this year or the two before
    at_cap: int = 0  # firms it checked YEARLY_CAP_PER_DEPARTMENT times or more this year
    onsite: int = 0  # on-site checks (task at visit) this year
    onsite_last: int = 0  # … last year

    @property
    def coverage_1y(self) -> float | None:
        return rate(self.covered_1y, self.population)

    @property
    def coverage_3y(self) -> float | None:
        return rate(self.covered_3y, self.population)

    @property
    def onsite_target(self) -> int | None:
        """At most this many on-site checks: last year's less ONSITE_REDUCTION_TARGET %."""
        if not self.onsite_last:
            return None
        cut = settings.SPOTCHECK_STATS["ONSITE_REDUCTION_TARGET"]
        return self.onsite_last * (100 - cut) // 100

    @property
    def onsite_change(self) -> float | None:
        """Change against last year in percent (−25.0 is a quarter fewer)."""
        if not self.onsite_last:
            return None
        return round(100 * (self.onsite - self.onsite_last) / self.onsite_last, 1)

    @property
    def onsite_met(self) -> bool | None:
        target = self.onsite_target
        return None if target is None else self.onsite <= target


COUNTED = ("population", "covered_1y", "covered_3y", "at_cap", "onsite", "onsite_last")


@dataclass
class Reach:
    departments: list[ReachRow]
    total: ReachRow
    ratings: dict = field(default_factory=dict)  # count, average (None below the minimum)


def _entity_filters(filters: DashboardFilters, path: str) -> Q:
    q = Q()
    if filters.industry:
        q &= Q(**{f"{path}industry_code__startswith": filters.industry})
    if filters.region:
        q &= Q(**{f"{path}region_code__startswith": filters.region})
    return q


def supervision_scope(filters: DashboardFilters) -> QuerySet:
    """(firm, department) rows of the regulated population: operating firms in a directory."""
    rows = Supervision.objects.filter(
        Q(marketentity__status=EntityStatus.OPERATING) & _entity_filters(filters, "marketentity__")
    )
    if filters.department_id:
        rows = rows.filter(department_id=filters.department_id)
    return rows


def covered_q(filters: DashboardFilters, years: int) -> Q:
    """The row's firm was drawn for one of the row's department's tasks in the last `years`."""
    return Q(
        Exists(
            VisitTask.objects.filter(
                visit__entity_id=OuterRef("marketentity_id"),
                spotchecktask__department_id=OuterRef("department_id"),
                spotchecktask__planned_start__year__gt=filters.year - years,
                spotchecktask__planned_start__year__lte=filters.year,
            )
        )
    )


def onsite_scope(filters: DashboardFilters, years: tuple[int, ...]) -> QuerySet:
    """Task-at-visit pairs checked on site (a result entered with the on-site method)."""
    tasks = Q(spotchecktask__planned_start__year__in=years)
    if filters.department_id:
        tasks &= Q(spotchecktask__department_id=filters.department_id)
    on_site = ItemResult.objects.filter(
        visit=OuterRef("visit_id"), task=OuterRef("spotchecktask_id"), method=CheckMethod.ON_SITE
    )
    return VisitTask.objects.filter(
        tasks
        & _entity_filters(filters, "visit__entity__")
        & Q(visit__field__outcome=FieldVisit.Outcome.CHECKED)
        & Q(Exists(on_site))
    )


def rating_scope(filters: DashboardFilters) -> QuerySet[VisitRating]:
    """Ratings of visits drawn for a task of the scope (a joint visit is rated once)."""
    pairs = VisitTask.objects.filter(
        Q(spotchecktask__planned_start__year=filters.year)
        & _entity_filters(filters, "visit__entity__")
    )
    if filters.department_id:
        pairs = pairs.filter(spotchecktask__department_id=filters.department_id)
    return VisitRating.objects.filter(visit_id__in=pairs.values("visit_id"))


def narrowed(filters: DashboardFilters) -> bool:
    """An industry or region filter: two nested ones would differ by a few ratings, and their
    averages would give away one firm's stars; only the department's whole year is averaged."""
    return bool(filters.industry or filters.region)


def _ratings(filters: DashboardFilters) -> dict:
    found = rating_scope(filters).aggregate(
        count=Count("pk"),
        average=Avg("stars"),
        objecting=Count("pk", filter=Q(objects_to_result=True)),
    )
    enough = found["count"] >= MIN_RATINGS_FOR_AVERAGE and not narrowed(filters)
    return {
        "count": found["count"],
        "average": round(found["average"], 2) if enough and found["average"] else None,
        "objecting": found["objecting"] if enough else None,
        "minimum": MIN_RATINGS_FOR_AVERAGE,
    }


def at_cap_entity_ids(filters: DashboardFilters) -> dict[int, set[int]]:
    """Department id → firms it checked at least its yearly cap times this year."""
    cap = settings.SPOTCHECK_CHECK_LIMITS["YEARLY_CAP_PER_DEPARTMENT"]
    among = None
    if filters.industry or filters.region:
        among = MarketEntity.objects.filter(_entity_filters(filters, "")).values("pk")
    found: dict[int, set[int]] = {}
    for entity_id, department_id in checks_at_department_cap(
        filters.year, cap, department_id=filters.department_id, among=among
    ):
        found.setdefault(department_id, set()).add(entity_id)
    return found


def reach_for(filters: DashboardFilters, names: dict[int, str]) -> Reach:
    """Filters already scoped; `names` the departments' names known to the dashboard."""
    rows: dict[int, ReachRow] = {}

    def row(department_id: int, name: str | None = None) -> ReachRow:
        if department_id not in rows:
            rows[department_id] = ReachRow(department_id, name or names.get(department_id, ""))
        return rows[department_id]

    for r in (
        supervision_scope(filters)
        .values("department_id", "department__name")
        .annotate(
            population=Count("pk"),
            covered_1y=Count("pk", filter=covered_q(filters, 1)),
            covered_3y=Count("pk", filter=covered_q(filters, 3)),
        )
        .order_by()
    ):
        found = row(r["department_id"], r["department__name"])
        found.population, found.covered_1y = r["population"], r["covered_1y"]
        found.covered_3y = r["covered_3y"]
    for r in (
        onsite_scope(filters, (filters.year - 1, filters.year))
        .annotate(year=ExtractYear("spotchecktask__planned_start"))
        .values("spotchecktask__department_id", "spotchecktask__department__name", "year")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        found = row(r["spotchecktask__department_id"], r["spotchecktask__department__name"])
        if r["year"] == filters.year:
            found.onsite = r["n"]
        else:
            found.onsite_last = r["n"]
    capped = at_cap_entity_ids(filters)
    for department_id, firms in capped.items():
        row(department_id).at_cap = len(firms)
    departments = sorted(rows.values(), key=lambda r: r.name)
    total = ReachRow(0, "")
    for name in COUNTED:
        setattr(total, name, sum(getattr(r, name) for r in departments))
    total.at_cap = len(set().union(*capped.values())) if capped else 0
    return Reach(departments, total, _ratings(filters))

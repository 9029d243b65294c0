"""Early warning (风险预警), read-only and in a fixed number of queries: industries and regions
whose problem rate rose beyond the threshold against the year before; entities with problems
found by more than one department; departments behind plan or deadlines; firms checked twice
within a short time; draws whose sample deviates from the design. Thresholds in settings.SPOTCHECK_STATS."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear, Substr

from spotcheck.checks.frequency import checks_per_entity, repeat_checked_entity_ids
from spotcheck.directory.models import MarketEntity
from spotcheck.inspections.models import ItemResult, ResultStatus
from spotcheck.plans.models import SpotCheckTask

from .deviation import sample_deviations
from .filters import DashboardFilters
from .selectors import Dashboard, has_problem, pair_scope, rate


def _settings() -> dict:
    return settings.SPOTCHECK_STATS


@dataclass
class RateRise:
    group: str  # industry division (2 digits of GB/T 4754) or region code
    before: float
    now: float
    results: int

    @property
    def rise(self) -> float:
        return round(self.now - self.before, 1)


@dataclass
class Warnings:
    industries: list[RateRise]
    regions: list[RateRise]
    repeated_problems: list[dict]
    departments_behind: list[dict]
    frequent_checks: list[dict]
    sample_deviations: list[dict] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(vars(self).values())


def _rate_rises(filters: DashboardFilters, group) -> list[RateRise]:
    """One query: problem rates per group for this year and the year before."""
    tasks = SpotCheckTask.objects.filter(planned_start__year__in=(filters.year - 1, filters.year))
    if filters.department_id:
        tasks = tasks.filter(department_id=filters.department_id)
    results = ItemResult.objects.filter(task__in=tasks, status=ResultStatus.APPROVED)
    if filters.industry:
        results = results.filter(visit__entity__industry_code__startswith=filters.industry)
    if filters.region:
        results = results.filter(visit__entity__region_code__startswith=filters.region)
    rows = (
        results.annotate(group=group, year=ExtractYear("task__planned_start"))
        .values("group", "year")
        .annotate(results=Count("pk"), problems=Count("pk", filter=Q(has_problem())))
        .order_by()
    )
    return rate_rises([{**row, "offset": row["year"] - filters.year} for row in rows], filters.year)


def rate_rises(rows, year: int) -> list[RateRise]:
    """Rows of group, offset (0 this year, -1 the year before), results and problems."""
    by_group: dict[str, dict[int, tuple[int, int]]] = {}
    for row in rows:
        by_group.setdefault(row["group"] or "", {})[row["offset"]] = (
            row["results"],
            row["problems"],
        )
    threshold, minimum = _settings()["PROBLEM_RATE_RISE"], _settings()["MIN_RESULTS"]
    rises = []
    for name, years in by_group.items():
        now, before = years.get(0), years.get(-1)
        if not name or not now or not before or now[0] < minimum or before[0] < minimum:
            continue
        rise = RateRise(name, rate(before[1], before[0]), rate(now[1], now[0]), now[0])
        if rise.rise >= threshold:
            rises.append(rise)
    return sorted(rises, key=lambda r: -r.rise)


def _repeated_problems(filters: DashboardFilters) -> list[dict]:
    """Entities with problems found this year by two or more departments."""
    results = ItemResult.objects.filter(
        Q(has_problem()),
        task__planned_start__year=filters.year,
        status=ResultStatus.APPROVED,
    )
    if filters.department_id:
        # A department sees its own entities that others also found problems with.
        mine = results.filter(department_id=filters.department_id).values("visit__entity_id")
        results = results.filter(visit__entity_id__in=mine)
    return list(
        results.values("visit__entity_id", "visit__entity__name", "visit__entity__key")
        .annotate(departments=Count("department_id", distinct=True))
        .filter(departments__gte=2)
        .order_by("-departments", "visit__entity__name")[: _settings()["WARNING_ROWS"]]
    )


def departments_behind(board: Dashboard) -> list[dict]:
    behind = []
    for row in board.departments:
        reasons = []
        if row.due and row.drawn < row.due:
            reasons.append("plan")
        if row.overdue:
            reasons.append("deadline")
        if reasons:
            behind.append({"row": row, "reasons": reasons})
    return behind


def _frequent_checks(filters: DashboardFilters) -> list[dict]:
    """Firms of the scope checked repeatedly this year by any department (the burden on the
    firm is the point; the rule is checks.frequency's, shared with the office's list), with
    their checks of the year."""
    year = filters.year
    flagged = repeat_checked_entity_ids(year, among=pair_scope(filters).values("visit__entity_id"))
    counts = checks_per_entity(year, flagged)
    entities = {
        e["pk"]: e
        for e in MarketEntity.objects.filter(pk__in=flagged).values(
            "pk", "name", "industry_code", "region_code"
        )
    }
    rows = [
        {
            "entity_id": e,
            "entity__name": entities[e]["name"],
            "visits": n,
            # for the pages filtered by industry or region from the snapshot
            "industry_code": entities[e]["industry_code"],
            "region_code": entities[e]["region_code"],
        }
        for e, n in counts.items()
    ]
    rows.sort(key=lambda r: (-r["visits"], r["entity__name"]))
    return rows[: _settings()["WARNING_ROWS"]]


def warnings_for(filters: DashboardFilters, board: Dashboard) -> Warnings:
    """Filters already scoped to the user (see selectors.scoped_filters)."""
    return Warnings(
        industries=_rate_rises(filters, Substr(F("visit__entity__industry_code"), 1, 2)),
        regions=_rate_rises(filters, F("visit__entity__region_code")),
        repeated_problems=_repeated_problems(filters),
        departments_behind=departments_behind(board),
        frequent_checks=_frequent_checks(filters),
        sample_deviations=sample_deviations(filters),
    )

"""Dashboards filtered by an entity's industry or region, from precomputed cells: the job counts
every additive figure grouped by department, industry code and region code of the entity (one
grouped query per figure, a few hundred thousand rows read once); a filtered page sums the
cells whose codes start with the filter. Figures that do not depend on the entity (tasks, plans,
draws, repeated problems) come from the unfiltered snapshot, as they do on the live page."""

from collections import Counter, defaultdict
from dataclasses import asdict, replace

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from spotcheck.checks.frequency import checks_at_department_cap
from spotcheck.directory.models import CreditClass, Inspector, MarketEntity
from spotcheck.draws.models import VisitInspector
from spotcheck.firms.models import VisitRating
from spotcheck.firms.selectors import MIN_RATINGS_FOR_AVERAGE
from spotcheck.inspections.models import FollowUp, ItemResult, ResultCategory, ResultStatus
from spotcheck.plans.models import SpotCheckTask
from spotcheck.publication.models import PublicRecord

from .filters import DashboardFilters
from .models import DashboardCell
from .reach import (
    COUNTED,
    Reach,
    ReachRow,
    covered_q,
    narrowed,
    onsite_scope,
    supervision_scope,
)
from .selectors import (
    DONE_OUTCOMES,
    WORKLOAD_TOP,
    Dashboard,
    DepartmentRow,
    VisitTask,
    has_problem,
    overdue_q,
    pair_published,
    pair_result,
    publication_cutoff,
    rate,
)
from .warnings import Warnings, departments_behind, rate_rises

PAIR = ("drawn", "visited", "approved", "published", "overdue")
Key = tuple[int, str, str]


def _add(cells: dict, key: Key, name: str, value) -> None:
    if value:
        cells[key][name] = cells[key].get(name, 0) + value


def _grouped(rows, department: str, industry: str, region: str, names, cells, prefix="") -> None:
    for row in rows:
        key = (row[department] or 0, row[industry] or "", row[region] or "")
        for name in names:
            _add(cells, key, prefix + name, row[name])


def _nested(cells: dict, key: Key, name: str, inner: str, value: int) -> None:
    if value:
        bucket = cells[key].setdefault(name, {})
        bucket[inner] = bucket.get(inner, 0) + value


def build_cells(year: int) -> dict[Key, dict]:
    """Every additive figure of the year per (department, industry code, region code)."""
    filters = DashboardFilters(year=year)
    tasks = SpotCheckTask.objects.filter(planned_start__year=year)
    cells: dict[Key, dict] = defaultdict(dict)
    cutoff = publication_cutoff(timezone.localdate())
    entity = ("visit__entity__industry_code", "visit__entity__region_code")
    pair_rows = (
        VisitTask.objects.filter(spotchecktask__in=tasks)
        .values("spotchecktask__department_id", *entity)
        .annotate(
            drawn=Count("pk"),
            visited=Count("pk", filter=Q(visit__field__outcome__in=DONE_OUTCOMES)),
            approved=Count("pk", filter=Q(pair_result(True)) & ~Q(pair_result(False))),
            published=Count("pk", filter=Q(pair_published())),
            overdue=Count("pk", filter=overdue_q(cutoff)),
        )
        .order_by()
    )
    _grouped(pair_rows, "spotchecktask__department_id", *entity, PAIR, cells)
    records = (
        PublicRecord.objects.filter(task__in=tasks)
        .values("task__department_id", "entity__industry_code", "entity__region_code")
        .annotate(
            in_time=Count("pk", filter=Q(on_time=True)), late=Count("pk", filter=Q(on_time=False))
        )
        .order_by()
    )
    _grouped(
        records,
        "task__department_id",
        "entity__industry_code",
        "entity__region_code",
        ("in_time", "late"),
        cells,
    )
    today = timezone.localdate()
    follow_ups = (
        FollowUp.objects.filter(result__task__in=tasks)
        .values("result__task__department_id", "entity__industry_code", "entity__region_code")
        .annotate(
            open=Count("pk", filter=Q(closed_at__isnull=True)),
            closed=Count("pk", filter=Q(closed_at__isnull=False)),
            overdue=Count("pk", filter=Q(closed_at__isnull=True, deadline__lt=today)),
        )
        .order_by()
    )
    _grouped(
        follow_ups,
        "result__task__department_id",
        "entity__industry_code",
        "entity__region_code",
        ("open", "closed", "overdue"),
        cells,
        prefix="fu_",
    )
    # Workload by the member's department: a department's page counts its own inspectors on the
    # year's visits (live: on visits with one of its tasks; the same unless it served on another
    # department's visit without a task of its own).
    visits = VisitTask.objects.filter(spotchecktask__in=tasks).values("visit_id")
    for row in (
        VisitInspector.objects.serving()
        .filter(visit__in=visits)
        .values("department_id", *entity, "inspector_id")
        .annotate(visits=Count("visit_id", distinct=True))
        .order_by()
    ):
        key = (row["department_id"], row[entity[0]] or "", row[entity[1]] or "")
        _nested(cells, key, "workload", str(row["inspector_id"]), row["visits"])
    results = ItemResult.objects.filter(task__in=tasks, status=ResultStatus.APPROVED)
    link = ItemResult.categories.through
    for row in (
        link.objects.filter(itemresult__in=results)
        .values(
            "itemresult__task__department_id",
            "itemresult__visit__entity__industry_code",
            "itemresult__visit__entity__region_code",
            "resultcategory__code",
        )
        .annotate(results=Count("itemresult_id", distinct=True))
        .order_by()
    ):
        key = (
            row["itemresult__task__department_id"],
            row["itemresult__visit__entity__industry_code"] or "",
            row["itemresult__visit__entity__region_code"] or "",
        )
        _nested(cells, key, "categories", row["resultcategory__code"], row["results"])
    for row in (
        results.values("task__department_id", *entity, "visit__entity__credit_class")
        .annotate(results=Count("pk"), problems=Count("pk", filter=Q(has_problem())))
        .order_by()
    ):
        key = (row["task__department_id"], row[entity[0]] or "", row[entity[1]] or "")
        klass = row["visit__entity__credit_class"]
        _nested(cells, key, "credit_results", klass, row["results"])
        _nested(cells, key, "credit_problems", klass, row["problems"])
    _rises(year, cells)
    _reach(filters, cells)
    return cells


def _rises(year: int, cells: dict) -> None:
    """Approved results and problems of this year and the year before, for the rate rises."""
    tasks = SpotCheckTask.objects.filter(planned_start__year__in=(year - 1, year))
    for row in (
        ItemResult.objects.filter(task__in=tasks, status=ResultStatus.APPROVED)
        .annotate(year=ExtractYear("task__planned_start"))
        .values(
            "task__department_id",
            "visit__entity__industry_code",
            "visit__entity__region_code",
            "year",
        )
        .annotate(results=Count("pk"), problems=Count("pk", filter=Q(has_problem())))
        .order_by()
    ):
        key = (
            row["task__department_id"],
            row["visit__entity__industry_code"] or "",
            row["visit__entity__region_code"] or "",
        )
        when = "now" if row["year"] == year else "before"
        _add(cells, key, f"results_{when}", row["results"])
        _add(cells, key, f"problems_{when}", row["problems"])


def _reach(filters: DashboardFilters, cells: dict) -> None:
    codes = ("marketentity__industry_code", "marketentity__region_code")
    population = (
        supervision_scope(filters)
        .values("department_id", *codes)
        .annotate(
            population=Count("pk"),
            covered_1y=Count("pk", filter=covered_q(filters, 1)),
            covered_3y=Count("pk", filter=covered_q(filters, 3)),
        )
        .order_by()
    )
    _grouped(population, "department_id", *codes, ("population", "covered_1y", "covered_3y"), cells)
    entity = ("visit__entity__industry_code", "visit__entity__region_code")
    for row in (
        onsite_scope(filters, (filters.year - 1, filters.year))
        .annotate(year=ExtractYear("spotchecktask__planned_start"))
        .values("spotchecktask__department_id", *entity, "year")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = (row["spotchecktask__department_id"], row[entity[0]] or "", row[entity[1]] or "")
        _add(cells, key, "onsite" if row["year"] == filters.year else "onsite_last", row["n"])
    cap = settings.SPOTCHECK_CHECK_LIMITS["YEARLY_CAP_PER_DEPARTMENT"]
    capped = checks_at_department_cap(filters.year, cap)
    codes_of = {
        e["pk"]: (e["industry_code"], e["region_code"])
        for e in MarketEntity.objects.filter(pk__in={e for e, _d in capped}).values(
            "pk", "industry_code", "region_code"
        )
    }
    for entity_id, department_id in capped:
        industry, region = codes_of[entity_id]
        cells[(department_id, industry, region)].setdefault("at_cap", []).append(entity_id)
    pairs = VisitTask.objects.filter(
        spotchecktask__planned_start__year=filters.year, visit__rating__isnull=False
    )
    ratings = {
        "count": Count("pk"),
        "stars": Sum("visit__rating__stars"),
        "objecting": Count("pk", filter=Q(visit__rating__objects_to_result=True)),
    }
    _grouped(
        pairs.values("spotchecktask__department_id", *entity).annotate(**ratings).order_by(),
        "spotchecktask__department_id",
        *entity,
        tuple(ratings),
        cells,
        prefix="rating_",
    )
    # District-wide: a joint visit is rated once, whatever the number of its departments.
    district = pairs.values("visit_id").distinct()
    for row in (
        VisitRating.objects.filter(visit_id__in=district)
        .values("visit__entity__industry_code", "visit__entity__region_code")
        .annotate(
            count=Count("pk"),
            stars=Sum("stars"),
            objecting=Count("pk", filter=Q(objects_to_result=True)),
        )
        .order_by()
    ):
        key = (0, row[entity[0]] or "", row[entity[1]] or "")
        for name in ratings:
            _add(cells, key, f"rating_{name}", row[name])


def cells_refresh(year: int) -> int:
    cells = build_cells(year)
    with transaction.atomic():
        DashboardCell.objects.filter(year=year).delete()
        DashboardCell.objects.bulk_create(
            (
                DashboardCell(
                    year=year,
                    department_key=d,
                    industry_code=i,
                    region_code=r,
                    figures=figures,
                )
                for (d, i, r), figures in cells.items()
            ),
            batch_size=5000,
        )
    return len(cells)


def _matching(filters: DashboardFilters) -> list[DashboardCell]:
    cells = DashboardCell.objects.filter(
        year=filters.year,
        industry_code__startswith=filters.industry,
        region_code__startswith=filters.region,
    )
    if filters.department_id:
        cells = cells.filter(department_key=filters.department_id)
    return list(cells.only("department_key", "industry_code", "region_code", "figures"))


def filtered_board(
    board: Dashboard, found: Warnings, filters: DashboardFilters
) -> tuple[Dashboard, Warnings]:
    """The unfiltered snapshot's board narrowed to the filters' industry and region."""
    cells = _matching(filters)
    per_department: dict[int, Counter] = defaultdict(Counter)
    district: Counter = Counter()
    nested: dict[str, Counter] = defaultdict(Counter)
    capped: dict[int, set[int]] = defaultdict(set)
    for cell in cells:
        for name, value in cell.figures.items():
            if isinstance(value, dict):
                nested[name].update(value)
            elif isinstance(value, list):
                capped[cell.department_key].update(value)
            elif cell.department_key:
                per_department[cell.department_key][name] += value
            else:
                district[name] += value
    departments = []
    for row in board.departments:
        counts = per_department.get(row.department_id, Counter())
        departments.append(replace(row, **{name: counts[name] for name in PAIR}))
    total = DepartmentRow(0, "")
    for name in asdict(total):
        if name not in ("department_id", "name"):
            setattr(total, name, sum(getattr(r, name) for r in departments))
    summed: Counter = sum(per_department.values(), Counter())
    credit = []
    for value, label in CreditClass.choices:
        n, p = nested["credit_results"][value], nested["credit_problems"][value]
        credit.append(
            {"credit_class": value, "label": label, "results": n, "problems": p, "rate": rate(p, n)}
        )
    narrowed = replace(
        board,
        filters=filters,
        departments=departments,
        total=total,
        publication={"in_time": summed["in_time"], "late": summed["late"]},
        follow_ups={k: summed[f"fu_{k}"] for k in ("open", "closed", "overdue")},
        workload=_workload(nested["workload"]),
        categories=_categories(nested["categories"]),
        credit_classes=credit,
        approved_results=sum(c["results"] for c in credit),
        problem_results=sum(c["problems"] for c in credit),
        reach=_reach_of(board, per_department, district, capped, filters),
    )
    warned = replace(
        found,
        industries=rate_rises(_rise_rows(cells, lambda c: c.industry_code[:2]), filters.year),
        regions=rate_rises(_rise_rows(cells, lambda c: c.region_code), filters.year),
        departments_behind=departments_behind(narrowed),
        frequent_checks=[
            e
            for e in found.frequent_checks
            if e.get("industry_code", "").startswith(filters.industry)
            and e.get("region_code", "").startswith(filters.region)
        ],
    )
    return narrowed, warned


def _rise_rows(cells: list[DashboardCell], group) -> list[dict]:
    rows: dict[tuple[str, int], Counter] = defaultdict(Counter)
    for cell in cells:
        if not cell.department_key:
            continue
        f = cell.figures
        for when, year_offset in (("now", 0), ("before", -1)):
            if f.get(f"results_{when}"):
                bucket = rows[(group(cell), year_offset)]
                bucket["results"] += f[f"results_{when}"]
                bucket["problems"] += f.get(f"problems_{when}", 0)
    return [
        {"group": g, "offset": o, "results": c["results"], "problems": c["problems"]}
        for (g, o), c in rows.items()
    ]


def _workload(counts: Counter) -> list[dict]:
    top = sorted(counts.items(), key=lambda kv: -kv[1])[: WORKLOAD_TOP * 2]
    names = dict(
        Inspector.objects.filter(pk__in=[int(k) for k, _v in top]).values_list("pk", "name")
    )
    rows = [
        {"inspector_id": int(k), "inspector__name": names.get(int(k), ""), "visits": v}
        for k, v in top
    ]
    rows.sort(key=lambda r: (-r["visits"], r["inspector__name"]))
    return rows[:WORKLOAD_TOP]


def _categories(counts: Counter) -> list[dict]:
    known = {
        c.code: c
        for c in ResultCategory.objects.filter(code__in=list(counts)).only(
            "code", "name", "problem_found"
        )
    }
    rows = [
        {
            "resultcategory__code": code,
            "resultcategory__name": known[code].name if code in known else code,
            "resultcategory__problem_found": known[code].problem_found if code in known else False,
            "results": n,
        }
        for code, n in counts.items()
        if n
    ]
    return sorted(rows, key=lambda r: (-r["results"], r["resultcategory__code"]))


def _reach_of(board, per_department, district, capped, filters) -> Reach:
    names = {r.department_id: r.name for r in board.departments}
    if board.reach:
        names |= {r.department_id: r.name for r in board.reach.departments}
    rows = []
    for department_id, counts in per_department.items():
        row = ReachRow(department_id, names.get(department_id, ""))
        for name in COUNTED:
            setattr(row, name, counts[name] if name != "at_cap" else 0)
        row.at_cap = len(capped.get(department_id, ()))
        if any(getattr(row, n) for n in COUNTED):
            rows.append(row)
    rows.sort(key=lambda r: r.name)
    total = ReachRow(0, "")
    for name in COUNTED:
        setattr(total, name, sum(getattr(r, name) for r in rows))
    total.at_cap = len(set().union(*capped.values())) if capped else 0
    source = district if not filters.department_id else sum(per_department.values(), Counter())
    count = source["rating_count"]
    enough = count >= MIN_RATINGS_FOR_AVERAGE and not narrowed(filters)
    ratings = {
        "count": count,
        "average": round(source["rating_stars"] / count, 2) if enough else None,
        "objecting": source["rating_objecting"] if enough else None,
        "minimum": MIN_RATINGS_FOR_AVERAGE,
    }
    return Reach(rows, total, ratings)

"""Freezing a batch's inputs (draw-spec §1): population lines, the design with the inspector
snapshot, conflicts and visit history, exactly as they will be published and hashed."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils.timezone import localtime

from spotcheck.directory.models import Inspector, InspectorConflict
from spotcheck.items.models import ItemKind
from spotcheck.plans.models import DesignMode, SpotCheckTask
from spotcheck.plans.population import population_queryset, population_rows
from spotcheck.plans.quiet_days import quiet_day_errors
from spotcheck_draw.caps import capped
from spotcheck_draw.commitments import population_lines
from spotcheck_draw.cooldown import add_months
from spotcheck_draw.population_file import (
    PopulationFile,
    committed_population_file,
    read_population_file,
)

from .models import BatchStatus, Visit, VisitInspector

EXEMPT_STRATA = ["D"]  # risk class D ignores the cooldown window (§5)


def inspector_id(pk: int) -> str:
    """Published inspector ids are opaque: names are never published."""
    return f"I{pk}"


def task_kind(task: SpotCheckTask) -> str:
    """targeted (定向), key (only key items) or general: decides the cooldown rule."""
    if task.directed:
        return "targeted"
    kinds = {version.kind for version in task.items.all()}
    return "key" if kinds == {ItemKind.KEY} else "general"


def task_design(task: SpotCheckTask) -> dict:
    mode = task.design_mode
    key = "strata" if mode in (DesignMode.COUNT, DesignMode.RATIO) else "probabilities"
    values = {
        s: (int(v) if mode == DesignMode.COUNT else str(v)) for s, v in task.design_values.items()
    }
    design = {
        "id": task.number,
        "department": task.department.code,
        "mode": mode,
        key: values,
        "items": sorted(v.item.code for v in task.items.all()),
        "kind": task_kind(task),
    }
    if mode == DesignMode.SEQUENTIAL_POISSON:
        design["n"] = task.design_n
    return design


def visit_history(since: date, until: date) -> list[dict]:
    """Visits of drawn batches planned in [since, until): the cooldown's committed history."""
    rows = (
        Visit.objects.going_ahead()
        .filter(batch__status=BatchStatus.DRAWN, planned_date__gte=since, planned_date__lt=until)
        .values_list("entity__key", "planned_date")
        .order_by("entity__key", "planned_date")
    )
    return [{"uscc": key, "date": day.isoformat()} for key, day in rows]


def frozen_population(
    tasks: Iterable[SpotCheckTask], cooling: set[str], caps: dict | None = None
) -> list[str]:
    """Committed lines USCC⟨TAB⟩stratum⟨TAB⟩task: general tasks skip cooling entities; every
    task skips firms at their yearly cap (`caps`, the design's section, whose "excluded" gets
    the count left out of each task)."""
    pairs, keys = capped(caps["history"], caps) if caps else (set(), set())
    rows = []
    for task in tasks:
        general = task_kind(task) == "general"
        for key, credit_class in population_rows(task.population_filter, task.department_id):
            if general and key in cooling and credit_class not in EXEMPT_STRATA:
                continue
            if (pairs or keys) and (key in keys or (key, task.department.code) in pairs):
                caps["excluded"][task.number] = caps["excluded"].get(task.number, 0) + 1
                continue
            rows.append((key, credit_class, task.number))
    return population_lines(rows) if rows else []


def _task_sql(
    task: SpotCheckTask, cooling: list[str], capped: list[str], count: bool = False
) -> tuple[str, list]:
    """One task's population as SQL: its lines (key, class, task), or with ``count`` how many
    of them the caps leave out; the conditions of ``frozen_population``, in the same order."""
    inner, params = (
        population_queryset(task.population_filter, task.department_id)
        .order_by()
        .values_list("key", "credit_class")
        .query.sql_with_params()
    )
    where, more = ["TRUE"], []
    if cooling and task_kind(task) == "general":
        where.append("NOT (p.key = ANY(%s::text[]) AND NOT p.credit_class = ANY(%s::text[]))")
        more += [cooling, EXEMPT_STRATA]
    if capped:
        where.append("p.key = ANY(%s::text[])" if count else "NOT p.key = ANY(%s::text[])")
        more.append(capped)
    select = "count(*)" if count else "p.key, p.credit_class, CAST(%s AS text) AS task"
    sql = f"SELECT {select} FROM ({inner}) AS p WHERE {' AND '.join(where)}"
    return sql, ([] if count else [task.number]) + list(params) + more


def copied_population(
    tasks: Iterable[SpotCheckTask], cooling: set[str], caps: dict | None = None
) -> PopulationFile | None:
    """``frozen_population`` made by PostgreSQL: one query over every task sorts the lines and
    joins them into the file's text, with no Python per line (a province's batch: 1.5M lines,
    20 s in Python). The result is used only when it is already exactly the committed lines
    (``committed_population_file``: NFC, sorted, no (USCC, task) twice, one line per row);
    None otherwise, and on SQLite or when a task filters by tags (matched in Python):
    ``frozen_population`` then decides, with its errors."""
    tasks = list(tasks)
    if connection.vendor != "postgresql" or any(t.population_filter.get("tags") for t in tasks):
        return None
    pairs, keys = capped(caps["history"], caps) if caps else (set(), set())
    cooling_keys = sorted(cooling)
    capped_keys = {
        t.number: sorted(keys | {key for key, dept in pairs if dept == t.department.code})
        for t in tasks
    }
    parts, params = [], []
    for task in tasks:
        sql, more = _task_sql(task, cooling_keys, capped_keys[task.number])
        parts.append(f"({sql})")
        params += more
    union = " UNION ALL ".join(parts)
    order = 'key COLLATE "C", credit_class COLLATE "C", task COLLATE "C"'
    # One value holding every line (a row each would cost Python per line). A field holding a
    # tab or a line break changes the line count or the form, and sends the lines to Python.
    query = (
        "SELECT count(*), string_agg(key || E'\\t' || credit_class || E'\\t' || task, E'\\n' "
        f"ORDER BY {order}) FROM ({union}) AS lines"
    )
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        count, text = cursor.fetchone()
        if not count or text is None:
            return None
        population = committed_population_file(f"{text}\n".encode())
        if population is None or len(population.lines) != count:
            return None
        for task in tasks:  # how many lines each task lost to the caps (as frozen_population)
            if capped_keys[task.number]:
                cursor.execute(*_task_sql(task, cooling_keys, capped_keys[task.number], True))
                if excluded := cursor.fetchone()[0]:
                    caps["excluded"][task.number] = excluded
    return population


def yearly_check_history(year: int) -> list[dict]:
    """Visits of drawn batches planned in `year`, each with the departments that had a task in
    it: what the yearly caps count (a joint visit is one check in the total)."""
    departments: dict[int, set[str]] = defaultdict(set)
    visits: dict[int, tuple[str, date]] = {}
    # A visit merged into another is not a check of its own: the kept visit carries its tasks.
    rows = (
        Visit.objects.going_ahead()
        .filter(batch__status=BatchStatus.DRAWN, planned_date__year=year)
        .values_list("pk", "entity__key", "planned_date", "tasks__department__code")
    )
    for pk, key, day, department in rows:
        visits[pk] = (key, day)
        if department:
            departments[pk].add(department)
    return sorted(
        (
            {"uscc": key, "date": day.isoformat(), "departments": sorted(departments[pk])}
            for pk, (key, day) in visits.items()
        ),
        key=lambda h: (h["uscc"], h["date"], h["departments"]),
    )


def caps_section(planned: date) -> dict:
    limits = settings.SPOTCHECK_CHECK_LIMITS
    return {
        "rule": "国办发〔2024〕54号",
        "year": planned.year,
        "per_department": limits["YEARLY_CAP_PER_DEPARTMENT"],
        "total": limits["YEARLY_CAP_TOTAL"],
        "history": yearly_check_history(planned.year),
        "excluded": {},
    }


def _qualifications(inspector: Inspector, items: list) -> list[str]:
    expertise = set(inspector.expertise)
    return sorted(v.item.code for v in items if not v.expertise or v.expertise in expertise)


def inspector_section(tasks: list[SpotCheckTask], planned: date, entity_keys: set[str]) -> dict:
    departments = {t.department_id for t in tasks}
    items_by_dept = defaultdict(list)
    for task in tasks:
        items_by_dept[task.department_id].extend(task.items.select_related("item"))
    inspectors = Inspector.objects.filter(department__in=departments).select_related("department")
    directory = [
        {
            "id": inspector_id(i.pk),
            "department": i.department.code,
            "active": i.status == "active",
            "qualifications": _qualifications(i, items_by_dept[i.department_id]),
            "certificate_expiry": i.certificate_expiry.isoformat(),
            "capacity": i.capacity_per_batch,
        }
        for i in inspectors.order_by("pk")
    ]
    conflicts = [
        {"inspector": inspector_id(pk), "uscc": key}
        for pk, key in InspectorConflict.objects.filter(inspector__department__in=departments)
        .values_list("inspector_id", "entity__key")
        .order_by("inspector_id", "entity__key")
        if key in entity_keys
    ]
    rules = settings.SPOTCHECK_RULES
    return {
        "planned_date": planned.isoformat(),
        "directory": directory,
        "conflicts": conflicts,
        "last_inspectors": _last_inspectors(departments, entity_keys),
        "rules": {
            "single_department": rules["INSPECTORS_PER_VISIT"],
            "per_department": 1,
            "joint_total": rules["INSPECTORS_PER_VISIT"],
        },
    }


def _last_inspectors(departments: set[int], entity_keys: set[str]) -> list[dict]:
    """Rotation: who inspected each entity for each department on its latest visit."""
    latest: dict[tuple[str, str], tuple[date, list[str]]] = {}
    members = (
        VisitInspector.objects.filter(
            visit__batch__status=BatchStatus.DRAWN,
            department__in=departments,
            recused_at__isnull=True,
        )
        .values_list(
            "visit__entity__key", "department__code", "visit__planned_date", "inspector_id"
        )
        .order_by("visit__planned_date", "inspector_id")
    )
    for key, dept, day, pk in members:
        if key not in entity_keys:
            continue
        seen = latest.get((key, dept))
        if seen is None or day > seen[0]:
            latest[(key, dept)] = (day, [inspector_id(pk)])
        elif day == seen[0]:
            seen[1].append(inspector_id(pk))
    return [
        {"uscc": key, "department": dept, "inspectors": sorted(ids)}
        for (key, dept), (_, ids) in sorted(latest.items())
    ]


def batch_design(batch, tasks: list[SpotCheckTask]) -> tuple[dict, PopulationFile | None]:
    """The design JSON and the population file of a batch (None when empty), both ready to
    hash. A planned date that became a quiet day after the tasks were saved (the setting
    changed) is refused here."""
    if refusals := quiet_day_errors(batch.planned_date, batch.planned_date):
        raise refusals[0]
    months = settings.SPOTCHECK_RULES["COOLDOWN_MONTHS"]
    history = visit_history(add_months(batch.planned_date, -months), batch.planned_date)
    cooling = {
        h["uscc"]
        for h in history
        if add_months(date.fromisoformat(h["date"]), months) > batch.planned_date
    }
    caps = caps_section(batch.planned_date)
    population = copied_population(tasks, cooling, caps)
    if population is None:
        lines = frozen_population(tasks, cooling, caps)
        if not lines:
            return {}, None
        population = read_population_file("".join(f"{line}\n" for line in lines).encode())
    entity_keys = set(map(bytes.decode, population.ids))
    # The history that proves both ways: firms drawn from were under their caps, firms left
    # out were at one.
    pairs, keys = capped(caps["history"], caps)
    departments = {t.department.code for t in tasks}
    keep = entity_keys | keys | {uscc for uscc, department in pairs if department in departments}
    caps["history"] = [h for h in caps["history"] if h["uscc"] in keep]
    design = {
        "version": 1,
        "rounding": "ceil_min1",
        "randomness_source": f"{batch.randomness_source}（{localtime(batch.randomness_due):%Y-%m-%d %H:%M}）",
        "tasks": [task_design(t) for t in tasks],
        "cooldown": {
            "months": months,
            "planned_date": batch.planned_date.isoformat(),
            "exempt_strata": EXEMPT_STRATA,
            "history": [h for h in history if h["uscc"] in entity_keys],
        },
        "inspectors": inspector_section(tasks, batch.planned_date, entity_keys),
        "caps": caps,
    }
    return design, population

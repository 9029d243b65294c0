"""How often a firm was checked in a year, counted in SQL: the one rule behind the office's
frequency warnings (checks.warnings) and the dashboard's early warning (stats.warnings).

A check is a visit of a drawn batch (a joint visit counts once) or an approved case or special
check; rectification re-checks are exempt. "Repeatedly checked" means REPEAT_WARNING_CHECKS
checks within REPEAT_WARNING_DAYS days (SPOTCHECK_CHECK_LIMITS)."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from spotcheck.draws.models import BatchStatus, Visit

from .models import CheckGround, CheckRequest, CheckRequestStatus


def repeat_rule() -> tuple[int, int]:
    """(checks, days) of the repeat-check warning."""
    limits = settings.SPOTCHECK_CHECK_LIMITS
    return limits["REPEAT_WARNING_CHECKS"], limits["REPEAT_WARNING_DAYS"]


def routine_checks(year: int) -> QuerySet[Visit]:
    # a visit merged into another (合并检查) is not a check of its own
    return Visit.objects.going_ahead().filter(
        batch__status=BatchStatus.DRAWN, planned_date__year=year
    )


def case_checks(year: int) -> QuerySet[CheckRequest]:
    return CheckRequest.objects.filter(
        status=CheckRequestStatus.APPROVED, planned_date__year=year
    ).exclude(ground=CheckGround.RECHECK)


def _count(rows: QuerySet):
    counted = rows.order_by().values("entity_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _checks_from_here(year: int, days: int):
    """For a check row: the firm's checks of the year on its day and the days-1 days after."""
    window = Q(
        entity_id=OuterRef("entity_id"),
        planned_date__gte=OuterRef("planned_date"),
        planned_date__lt=OuterRef("planned_date") + timedelta(days=days),
    )
    return _count(routine_checks(year).filter(window)) + _count(case_checks(year).filter(window))


def repeat_checked_entity_ids(year: int, *, among: QuerySet | None = None) -> set[int]:
    """Firms (of `among`, entity ids, when given) with a window of `days` holding `checks`
    checks: one set-based query per kind of check that may open the window."""
    checks, days = repeat_rule()
    found: set[int] = set()
    for rows in (routine_checks(year), case_checks(year)):
        if among is not None:
            rows = rows.filter(entity_id__in=among)
        found.update(
            rows.alias(window=_checks_from_here(year, days))
            .filter(window__gte=checks)
            .values_list("entity_id", flat=True)
            .order_by()
            .distinct()
        )
    return found


def checks_per_entity(year: int, entity_ids: set[int]) -> dict[int, int]:
    """The year's checks of each of the (few, flagged) firms, a joint visit once."""
    counts: dict[int, int] = dict.fromkeys(entity_ids, 0)
    for rows in (routine_checks(year), case_checks(year)):
        found = rows.filter(entity_id__in=entity_ids).values("entity_id").annotate(n=Count("pk"))
        for row in found.order_by():
            counts[row["entity_id"]] += row["n"]
    return counts


def _union_sql(
    year: int, *, department_id: int | None = None, among: QuerySet | None = None
) -> tuple[str, list]:
    """The year's checks as (entity_id, department_id, check) rows: a visit once per
    department whose task drew it, a case or special check once."""
    routine, cases = routine_checks(year), case_checks(year)
    if among is not None:
        routine, cases = routine.filter(entity_id__in=among), cases.filter(entity_id__in=among)
    if department_id:  # one join: the other departments' tasks of a joint visit drop out
        routine = routine.filter(tasks__department_id=department_id)
        cases = cases.filter(department_id=department_id)
    else:
        routine = routine.filter(tasks__isnull=False)
    visits = (
        routine.values(e=F("entity_id"), d=F("tasks__department_id"), k=F("pk"))
        .distinct()
        .order_by()
    )
    cases = cases.values(e=F("entity_id"), d=F("department_id"), k=F("pk")).order_by()
    visit_sql, visit_params = visits.query.sql_with_params()
    case_sql, case_params = cases.query.sql_with_params()
    return f"{visit_sql} UNION ALL {case_sql}", [*visit_params, *case_params]


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def over_department_cap(year: int, cap: int) -> list[tuple[int, int, int]]:
    """(entity, department, checks) where one department checked a firm more than `cap` times."""
    union, params = _union_sql(year)
    return _rows(
        f"SELECT c.e, c.d, COUNT(*) FROM ({union}) c GROUP BY c.e, c.d HAVING COUNT(*) > %s",
        [*params, cap],
    )


def checks_at_department_cap(
    year: int, cap: int, *, department_id: int | None = None, among: QuerySet | None = None
) -> list[tuple[int, int]]:
    """(entity, department) where the department checked the firm `cap` times or more."""
    union, params = _union_sql(year, department_id=department_id, among=among)
    return _rows(
        f"SELECT c.e, c.d FROM ({union}) c GROUP BY c.e, c.d HAVING COUNT(*) >= %s",
        [*params, cap],
    )


def checked_at_least(year: int, minimum: int) -> dict[int, int]:
    """Firms checked at least `minimum` times in the year (a joint visit once): id → checks."""
    visits = routine_checks(year).values(e=F("entity_id"), k=F("pk")).order_by()
    cases = case_checks(year).values(e=F("entity_id"), k=F("pk")).order_by()
    visit_sql, visit_params = visits.query.sql_with_params()
    case_sql, case_params = cases.query.sql_with_params()
    return dict(
        _rows(
            f"SELECT c.e, COUNT(*) FROM ({visit_sql} UNION ALL {case_sql}) c "
            "GROUP BY c.e HAVING COUNT(*) >= %s",
            [*visit_params, *case_params, minimum],
        )
    )

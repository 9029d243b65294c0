"""Warnings for the office (国办发〔2024〕54号 big-data warnings): the same firm checked twice
within 60 days, three times in a year, and firms over a department's or the total yearly cap;
each with the checks behind it. What counts as a check, and the counting: checks.frequency."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from spotcheck.accounts.models import Department
from spotcheck.directory.models import MarketEntity

from .frequency import (
    case_checks,
    checked_at_least,
    over_department_cap,
    repeat_checked_entity_ids,
    repeat_rule,
    routine_checks,
)


@dataclass(frozen=True)
class CheckRecord:
    day: date
    departments: tuple[str, ...]
    label: str  # batch/visit number, or the approval's number


@dataclass
class FirmWarning:
    entity: MarketEntity
    reasons: list[str] = field(default_factory=list)
    records: list[CheckRecord] = field(default_factory=list)


def _records_of(year: int, entity_ids) -> dict[int, list[CheckRecord]]:
    """The year's checks of the flagged firms only, for the office to read."""
    by_entity: dict[int, dict[str, tuple[date, set[str]]]] = defaultdict(dict)
    visits = (
        routine_checks(year)
        .filter(entity_id__in=entity_ids)
        .values_list(
            "entity_id", "batch__number", "visit_id", "planned_date", "tasks__department__name"
        )
    )
    for entity_id, batch, visit, day, department in visits:
        entry = by_entity[entity_id].setdefault(f"{batch}/{visit}", (day, set()))
        if department:
            entry[1].add(department)
    approved = (
        case_checks(year)
        .filter(entity_id__in=entity_ids)
        .values_list("entity_id", "pk", "planned_date", "department__name")
    )
    for entity_id, pk, day, department in approved:
        by_entity[entity_id][_("检查审批 #%(pk)s") % {"pk": pk}] = (day, {department})
    return {
        entity_id: sorted(
            (CheckRecord(day, tuple(sorted(deps)), label) for label, (day, deps) in rows.items()),
            key=lambda r: (r.day, r.label),
        )
        for entity_id, rows in by_entity.items()
    }


def firm_warning_list(*, year: int) -> list[FirmWarning]:
    """For the office only (the caller checks): every firm with a warning in `year`. The
    flags are counted in SQL; only the flagged firms' checks are read."""
    limits = settings.SPOTCHECK_CHECK_LIMITS
    checks, days = repeat_rule()
    reasons: dict[int, list[str]] = defaultdict(list)
    for entity_id in repeat_checked_entity_ids(year):
        reasons[entity_id].append(_("%(days)s日内检查%(n)s次") % {"days": days, "n": checks})
    lowest = min(limits["FREQUENT_WARNING_CHECKS"], limits["YEARLY_CAP_TOTAL"] + 1)
    totals = checked_at_least(year, lowest)
    for entity_id, n in totals.items():
        if n >= limits["FREQUENT_WARNING_CHECKS"]:
            reasons[entity_id].append(_("本年度已检查%(n)s次") % {"n": n})
    cap = limits["YEARLY_CAP_PER_DEPARTMENT"]
    over = over_department_cap(year, cap)
    names = dict(
        Department.objects.filter(pk__in={d for _e, d, _n in over}).values_list("pk", "name")
    )
    for entity_id, department_id, n in sorted(over, key=lambda row: names[row[1]]):
        reasons[entity_id].append(
            _("%(d)s本年度检查%(n)s次，超过每部门%(cap)s次的上限")
            % {"d": names[department_id], "n": n, "cap": cap}
        )
    for entity_id, n in totals.items():
        if n > limits["YEARLY_CAP_TOTAL"]:
            reasons[entity_id].append(
                _("各部门合计检查%(n)s次，超过%(cap)s次的上限")
                % {"n": n, "cap": limits["YEARLY_CAP_TOTAL"]}
            )
    records = _records_of(year, list(reasons))
    entities = MarketEntity.objects.in_bulk(list(reasons))
    warnings = [
        FirmWarning(entities[entity_id], found, records.get(entity_id, []))
        for entity_id, found in reasons.items()
    ]
    return sorted(warnings, key=lambda w: w.entity.key)

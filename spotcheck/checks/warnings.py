"""Warnings for the office (国办发〔2024〕54号 big-data warnings): the same firm checked twice
within 60 days, three times in a year, and firms over a department's or the total yearly cap;
each with the checks behind it. Drawn routine visits and approved case and special checks
count; rectification re-checks are exempt."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from spotcheck.directory.models import MarketEntity
from spotcheck.draws.models import BatchStatus, Visit

from .models import CheckGround, CheckRequest, CheckRequestStatus


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


def _year_records(year: int) -> dict[int, list[CheckRecord]]:
    by_entity: dict[int, dict[str, tuple[date, set[str]]]] = defaultdict(dict)
    visits = (
        Visit.objects.going_ahead()  # a visit merged into another is not a check of its own
        .filter(batch__status=BatchStatus.DRAWN, planned_date__year=year)
        .values_list(
            "entity_id", "batch__number", "visit_id", "planned_date", "tasks__department__name"
        )
    )
    for entity_id, batch, visit, day, department in visits:
        entry = by_entity[entity_id].setdefault(f"{batch}/{visit}", (day, set()))
        if department:
            entry[1].add(department)
    approved = (
        CheckRequest.objects.filter(status=CheckRequestStatus.APPROVED, planned_date__year=year)
        .exclude(ground=CheckGround.RECHECK)
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


def _reasons(records: list[CheckRecord], limits: dict) -> list[str]:
    reasons = []
    window, repeat = limits["REPEAT_WARNING_DAYS"], limits["REPEAT_WARNING_CHECKS"]
    if any(
        (records[i + repeat - 1].day - records[i].day).days < window
        for i in range(len(records) - repeat + 1)
    ):
        reasons.append(_("%(days)s日内检查%(n)s次") % {"days": window, "n": repeat})
    if len(records) >= limits["FREQUENT_WARNING_CHECKS"]:
        reasons.append(_("本年度已检查%(n)s次") % {"n": len(records)})
    per_department: dict[str, int] = defaultdict(int)
    for record in records:
        for department in record.departments:
            per_department[department] += 1
    for department, count in sorted(per_department.items()):
        if count > limits["YEARLY_CAP_PER_DEPARTMENT"]:
            reasons.append(
                _("%(d)s本年度检查%(n)s次，超过每部门%(cap)s次的上限")
                % {"d": department, "n": count, "cap": limits["YEARLY_CAP_PER_DEPARTMENT"]}
            )
    if len(records) > limits["YEARLY_CAP_TOTAL"]:
        reasons.append(
            _("各部门合计检查%(n)s次，超过%(cap)s次的上限")
            % {"n": len(records), "cap": limits["YEARLY_CAP_TOTAL"]}
        )
    return reasons


def firm_warning_list(*, year: int) -> list[FirmWarning]:
    """For the office only (the caller checks): every firm with a warning in `year`."""
    limits = settings.SPOTCHECK_CHECK_LIMITS
    warnings = []
    records = _year_records(year)
    entities = MarketEntity.objects.in_bulk(list(records))
    for entity_id, rows in records.items():
        reasons = _reasons(rows, limits)
        if reasons:
            warnings.append(FirmWarning(entities[entity_id], reasons, rows))
    return sorted(warnings, key=lambda w: w.entity.key)

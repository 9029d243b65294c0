"""The yearly timetable as the office's calendar: each milestone's dates in a year and its state
read from the data (plans published, joint checks approved and done, reports signed)."""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from spotcheck.accounts.models import Department
from spotcheck.plans.models import AnnualPlan, JointCheck, JointCheckStatus

from .deadlines import field_work_by_check
from .models import MilestoneMeasure, TimetableMilestone
from .selectors import due_reports, yearly_summary

BEHIND_SHOWN = 30  # names listed per milestone; the count covers all


def _day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def milestone_dates(milestone: TimetableMilestone, year: int) -> tuple[date, date]:
    return (
        _day(year, milestone.start_month, milestone.start_day),
        _day(year, milestone.end_month, milestone.end_day),
    )


def yearly_summary_due(year: int) -> date | None:
    """The yearly summary is due at the end of the timetable's summary milestone."""
    milestone = TimetableMilestone.objects.filter(measure=MilestoneMeasure.YEARLY_SUMMARY).first()
    return milestone_dates(milestone, year)[1] if milestone else None


@dataclass
class MilestoneRow:
    milestone: TimetableMilestone
    start: date
    end: date
    state: str  # done, due, overdue, upcoming, offline
    progress: str = ""
    behind: list[str] = field(default_factory=list)
    behind_count: int = 0

    @property
    def state_label(self) -> str:
        return {
            "done": _("已完成"),
            "due": _("进行中"),
            "overdue": _("已逾期"),
            "upcoming": _("未开始"),
            "offline": _("线下工作"),
        }[self.state]


@dataclass
class Found:
    done: bool
    progress: str
    behind: list[str]
    late: bool = False  # something is already past its own deadline


def _plans(year: int, today: date) -> Found:
    published = set(
        AnnualPlan.objects.filter(year=year, published_at__isnull=False).values_list(
            "department", flat=True
        )
    )
    departments = list(Department.objects.order_by("code").values_list("pk", "name"))
    behind = [name for pk, name in departments if pk not in published]
    return Found(
        bool(departments) and not behind,
        _("已公示 %(n)s/%(total)s 个部门")
        % {"n": len(departments) - len(behind), "total": len(departments)},
        behind,
    )


def _checks(year: int):
    return list(
        JointCheck.objects.filter(planned_start__year=year)
        .exclude(status=JointCheckStatus.DRAFT)
        .select_related("lead_department")
        .order_by("planned_start", "pk")
    )


def _approved(year: int, today: date) -> Found:
    checks = _checks(year)
    decided = (JointCheckStatus.APPROVED, JointCheckStatus.IN_BATCH)
    waiting = [f"{j.name}（{j.get_status_display()}）" for j in checks if j.status not in decided]
    return Found(
        bool(checks) and not waiting,
        _("已审批 %(n)s/%(total)s 项联合抽查")
        % {"n": len(checks) - len(waiting), "total": len(checks)},
        waiting,
    )


def _done(year: int, today: date) -> Found:
    checks = [
        j
        for j in _checks(year)
        if j.status in (JointCheckStatus.APPROVED, JointCheckStatus.IN_BATCH)
    ]
    work = field_work_by_check([j.pk for j in checks])
    open_ = [
        f"{j.lead_department.name}：{j.name}"
        for j in checks
        if j.pk not in work or work[j.pk].ended_on is None
    ]
    return Found(
        bool(checks) and not open_,
        _("已完成现场检查 %(n)s/%(total)s 项")
        % {"n": len(checks) - len(open_), "total": len(checks)},
        open_,
    )


def _reports(year: int, today: date) -> Found:
    due = due_reports(year=year)
    late = [d for d in due if d.overdue(today)]
    names: dict[str, int] = {}
    for d in late:
        names[d.department.name] = names.get(d.department.name, 0) + 1
    signed = sum(d.signed for d in due)
    return Found(
        bool(due) and signed == len(due) and not _done(year, today).behind,
        _("已签发 %(n)s/%(total)s 份") % {"n": signed, "total": len(due)},
        [_("%(name)s（逾期 %(n)s 份）") % {"name": k, "n": v} for k, v in sorted(names.items())],
        late=bool(late),
    )


def _yearly(year: int, today: date) -> Found:
    report = yearly_summary(year)
    signed = report is not None and report.first_signed is not None
    return Found(
        signed,
        _("已签发") if signed else (_("起草中") if report else _("未起草")),
        [] if signed else [_("联席会议办公室")],
    )


MEASURES = {
    MilestoneMeasure.PLANS_PUBLISHED: _plans,
    MilestoneMeasure.JOINT_CHECKS_APPROVED: _approved,
    MilestoneMeasure.JOINT_CHECKS_DONE: _done,
    MilestoneMeasure.REPORTS_SIGNED: _reports,
    MilestoneMeasure.YEARLY_SUMMARY: _yearly,
}


def timetable(*, year: int, today: date) -> list[MilestoneRow]:
    rows = []
    for milestone in TimetableMilestone.objects.all():
        start, end = milestone_dates(milestone, year)
        measure = MEASURES.get(milestone.measure)
        if measure is None:
            rows.append(MilestoneRow(milestone, start, end, "offline", _("平台无此项数据")))
            continue
        found = measure(year, today)
        if found.done:
            state = "done"
        elif found.late or today > end:
            state = "overdue"
        elif today < start:
            state = "upcoming"
        else:
            state = "due"
        rows.append(
            MilestoneRow(
                milestone,
                start,
                end,
                state,
                found.progress,
                found.behind[:BEHIND_SHOWN],
                len(found.behind),
            )
        )
    return rows

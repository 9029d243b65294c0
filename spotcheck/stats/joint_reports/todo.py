"""The reports of joint checks on the home page (工作台): what a department owes, with the days
left or overdue; for the office, which departments are behind and the yearly summary."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from spotcheck.inspections.todo import LIMIT, Entry, Section

from .models import MilestoneMeasure, TimetableMilestone
from .rules import takes_part
from .selectors import due_reports, yearly_summary
from .timetable import milestone_dates

URGENT_DAYS = 3


def _note(due, today: date) -> str:
    left = due.days_left(today)
    when = due.due_on.isoformat()
    if left < 0:
        return _("报送期限 %(date)s · 已逾期 %(n)s 天") % {"date": when, "n": -left}
    return _("报送期限 %(date)s · 还有 %(n)s 天") % {"date": when, "n": left}


def _url(due) -> str:
    if due.report is not None:
        return reverse("stats:joint_report", args=[due.report.pk])
    return reverse("stats:joint_reports") + "#owed"


def report_sections(user, today: date) -> list[Section]:
    if not takes_part(user):
        return []
    if user.is_office:
        return [_office(today)]
    owed = [d for d in due_reports(department_id=user.department_id) if not d.signed]
    return [
        Section(
            "joint_reports",
            _("待报送的联合抽查报告"),
            [
                Entry(
                    f"{d.joint.name} · {d.kind_label}",
                    _url(d),
                    _note(d, today),
                    d.days_left(today) <= URGENT_DAYS,
                )
                for d in owed[:LIMIT]
            ],
            reverse("stats:joint_reports"),
            _("没有待报送的联合抽查报告"),
        )
    ]


def _office(today: date) -> Section:
    late: dict[str, int] = {}
    for due in due_reports():
        if due.overdue(today):
            late[due.department.name] = late.get(due.department.name, 0) + 1
    timetable = reverse("stats:timetable")
    entries = [
        Entry(name, timetable, _("%(n)s 份联合抽查报告逾期未报送") % {"n": n}, True)
        for name, n in sorted(late.items(), key=lambda kv: (-kv[1], kv[0]))[:LIMIT]
    ]
    milestone = TimetableMilestone.objects.filter(measure=MilestoneMeasure.YEARLY_SUMMARY).first()
    if milestone is not None:
        start, end = milestone_dates(milestone, today.year)
        report = yearly_summary(today.year)
        if today >= start and (report is None or report.first_signed is None):
            entries.insert(
                0,
                Entry(
                    _("%(year)s年度总结") % {"year": today.year},
                    reverse("stats:joint_reports") + "#yearly",
                    _("报送期限 %(date)s") % {"date": end.isoformat()},
                    True,
                ),
            )
    return Section(
        "joint_reports",
        _("联合抽查报告滞后的部门"),
        entries,
        timetable,
        _("各部门联合抽查报告均按期报送"),
    )

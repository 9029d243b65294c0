"""Reads of the joint-check reports: the reports a user may see, one report by id (the same
404 for missing and not yours), and the reports due — for the to-do lists, the office's view of
who is behind, and the timetable."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Min, Q
from django.http import Http404
from django.utils import timezone

from spotcheck.accounts.models import Department
from spotcheck.plans.models import JointCheck, SpotCheckTask

from .deadlines import field_work_by_check, report_due
from .models import CheckReport, ReportKind
from .rules import may_read, takes_part


def report_list(*, user):
    """What the user reads: the office all; a department its own, the signed summaries of the
    checks it takes part in and, as lead, the partners' signed result reports."""
    reports = CheckReport.objects.select_related("joint_check", "department").annotate(
        first_signed=Min("versions__signed_at")
    )
    if not takes_part(user):
        return reports.none()
    if user.is_office:
        return reports
    mine = user.department_id
    joined = Q(joint_check__lead_department=mine) | Q(joint_check__tasks__department=mine)
    return reports.filter(
        Q(department=mine)
        | Q(kind=ReportKind.SUMMARY, versions__isnull=False) & joined
        | Q(kind=ReportKind.RESULT, versions__isnull=False, joint_check__lead_department=mine)
    ).distinct()


def check_department_ids(joint: JointCheck | None) -> set[int]:
    if joint is None:
        return set()
    ids = set(SpotCheckTask.objects.filter(joint_check=joint).values_list("department", flat=True))
    return ids | {joint.lead_department_id}


def access_report(user, report_id: int) -> CheckReport:
    report = (
        CheckReport.objects.select_related("joint_check__lead_department", "department")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not may_read(
        user, report, check_department_ids=check_department_ids(report.joint_check)
    ):
        raise Http404
    return report


@dataclass
class DueReport:
    kind: str
    joint: JointCheck | None
    department: Department | None
    due_on: date | None
    report: CheckReport | None
    signed_on: date | None

    @property
    def signed(self) -> bool:
        return self.signed_on is not None

    def overdue(self, today: date) -> bool:
        return not self.signed and self.due_on is not None and today > self.due_on

    def days_left(self, today: date) -> int | None:
        return None if self.due_on is None else (self.due_on - today).days

    @property
    def kind_label(self) -> str:
        return str(ReportKind(self.kind).label)

    @property
    def on_time(self) -> bool | None:
        if self.signed_on is None or self.due_on is None:
            return None
        return self.signed_on <= self.due_on


def due_reports(*, year: int | None = None, department_id: int | None = None) -> list[DueReport]:
    """Every report a finished joint check calls for (Lüyuan 五（6）（8）), signed or not, with its
    deadline. A department's scope: the reports it owes. A fixed number of queries, plus one or
    two calendar look-ups per distinct deadline."""
    checks = JointCheck.objects.select_related("lead_department")
    if year is not None:
        checks = checks.filter(planned_start__year=year)
    checks = list(checks)
    work = field_work_by_check([j.pk for j in checks])
    ended = {j.pk: j for j in checks if j.pk in work and work[j.pk].ended_on is not None}
    if not ended:
        return []
    members: dict[int, set[int]] = {pk: {j.lead_department_id} for pk, j in ended.items()}
    for joint_id, department in (
        SpotCheckTask.objects.filter(joint_check__in=ended)
        .values_list("joint_check", "department")
        .distinct()
    ):
        members[joint_id].add(department)
    departments = Department.objects.in_bulk({d for ids in members.values() for d in ids})
    reports = {
        (r.kind, r.joint_check_id, r.department_id): r
        for r in CheckReport.objects.filter(joint_check__in=ended).annotate(
            first_signed=Min("versions__signed_at")
        )
    }
    deadlines: dict[tuple[str, date], date | None] = {}
    found = []
    for joint_id, joint in ended.items():
        wanted = [(ReportKind.SUMMARY, joint.lead_department_id)] + [
            (kind, d)
            for d in sorted(members[joint_id], key=lambda d: (d != joint.lead_department_id, d))
            for kind in (ReportKind.RESULT, ReportKind.DEPARTMENT_SUMMARY)
        ]
        for kind, department in wanted:
            if department_id is not None and department != department_id:
                continue
            key = (kind, work[joint_id].ended_on)
            if key not in deadlines:
                deadlines[key] = report_due(kind, work[joint_id].ended_on)
            report = reports.get((kind, joint_id, department))
            first = getattr(report, "first_signed", None)
            found.append(
                DueReport(
                    kind=kind,
                    joint=joint,
                    department=departments[department],
                    due_on=deadlines[key],
                    report=report,
                    signed_on=timezone.localtime(first).date() if first else None,
                )
            )
    return sorted(found, key=lambda d: (d.due_on or date.max, d.joint.pk, d.kind))


def yearly_summary(year: int) -> CheckReport | None:
    return (
        CheckReport.objects.filter(kind=ReportKind.YEARLY, year=year)
        .annotate(first_signed=Min("versions__signed_at"))
        .first()
    )

"""When a joint check's field work ended and when each of its reports is due.

Lüyuan's plan (2021年绿园区“双随机、一公开”联合抽查监管工作实施方案, 五、联合抽查工作步骤):
- (6) 检查活动结束10日内, each department reports its results to the team leader, and the team
  leader submits the summary report to the office (the same sentence, so the same deadline);
- (8) 联合抽查监管工作结束后一周内, each department sends its summary to the office.
Both are calendar days (日, 一周), unlike (7)'s 20个工作日 for publication. A period whose last day
is a rest day ends on the next working day (民法典 第二百零三条), found in the office's working-day
calendar; when the calendar lacks that year the plain calendar date stands (the earlier, strict
reading, never a later guess).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from spotcheck.draws.models import BatchStatus, Visit
from spotcheck.inspections.models import FieldVisit
from spotcheck.publication.models import CalendarDay
from spotcheck.publication.workdays import YearNotInCalendar, add_working_days

from .models import ReportKind

RESULT_REPORT_DAYS = 10  # 五（6）检查活动结束10日内
SUMMARY_REPORT_DAYS = 10  # 五（6）the same sentence: 联合检查组组长向…办公室提交汇总报告
DEPARTMENT_SUMMARY_DAYS = 7  # 五（8）结束后一周内

DAYS = {
    ReportKind.RESULT: RESULT_REPORT_DAYS,
    ReportKind.SUMMARY: SUMMARY_REPORT_DAYS,
    ReportKind.DEPARTMENT_SUMMARY: DEPARTMENT_SUMMARY_DAYS,
}


@dataclass(frozen=True)
class FieldWork:
    visits: int
    open: int  # not yet checked nor recorded as impossible
    ended_on: date | None  # the day the last visit was done, once none is open


def field_work_by_check(joint_check_ids) -> dict[int, FieldWork]:
    """Per joint check with a drawn batch: its visits and, once all are done, the end date.
    One query whatever the number of checks."""
    pending = Q(field__isnull=True) | Q(field__outcome=FieldVisit.Outcome.PENDING)
    rows = (
        Visit.objects.filter(
            batch__joint_check__in=joint_check_ids, batch__status=BatchStatus.DRAWN
        )
        .values("batch__joint_check")
        .annotate(
            total=Count("pk"), open=Count("pk", filter=pending), last=Max("field__completed_at")
        )
    )
    found = {}
    for row in rows:
        last = row["last"]
        ended = None
        if row["open"] == 0 and last is not None:
            ended = timezone.localtime(last).date()
        found[row["batch__joint_check"]] = FieldWork(row["total"], row["open"], ended)
    return found


def next_working_day(day: date) -> date:
    """`day` if it is a working day by the calendar, else the first working day after it."""
    try:
        is_working = CalendarDay.objects.filter(date=day).values_list("is_working", flat=True)
        if not is_working:
            raise YearNotInCalendar(day.year)
        return day if is_working[0] else add_working_days(day, 1)
    except YearNotInCalendar:
        return day


def report_due(kind: str, ended_on: date | None) -> date | None:
    """The deadline of a joint check's report, None while its field work goes on."""
    if ended_on is None:
        return None
    return next_working_day(ended_on + timedelta(days=DAYS[kind]))

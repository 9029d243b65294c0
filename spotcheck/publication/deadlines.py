"""Publication deadlines per task and per department: due, due soon (≤ 3 working days),
overdue, and after publication whether it was on time. User-scoped reads."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from spotcheck.plans.models import SpotCheckTask

from .models import DisclosureExemption, ExemptionStatus, PublicRecord
from .units import open_units
from .workdays import YearNotInCalendar, add_working_days, working_days_between

DUE_SOON_WORKING_DAYS = 3


class DeadlineState(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    DUE = "due"
    DONE = "done"
    NO_CALENDAR = "no_calendar"  # a year missing from the calendar: the office must add it


STATE_LABELS = {
    DeadlineState.OVERDUE: _("已逾期"),
    DeadlineState.DUE_SOON: _("即将到期"),
    DeadlineState.DUE: _("未到期"),
    DeadlineState.DONE: _("已公示"),
    DeadlineState.NO_CALENDAR: _("缺少工作日历"),
}


@dataclass
class TaskDeadline:
    task: SpotCheckTask
    open: int = 0  # complete, not yet published, not withheld
    ready: int = 0  # of those, approved and publishable now
    published: int = 0
    late: int = 0
    withheld: int = 0
    next_due: date | None = None
    days_left: int | None = None  # working days from today to next_due; negative when late
    error: str = ""

    @property
    def state(self) -> DeadlineState:
        if self.error:
            return DeadlineState.NO_CALENDAR
        if not self.open:
            return DeadlineState.DONE
        if self.days_left < 0:
            return DeadlineState.OVERDUE
        if self.days_left <= DUE_SOON_WORKING_DAYS:
            return DeadlineState.DUE_SOON
        return DeadlineState.DUE

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def all_on_time(self) -> bool:
        return self.published > 0 and self.late == 0


class _Deadlines:
    """Working-day sums memoised per request: many visits share a completion date."""

    def __init__(self, today: date):
        self.today, self._due, self._left = today, {}, {}

    def due(self, completed: date) -> date:
        if completed not in self._due:
            days = settings.SPOTCHECK_RULES["PUBLICATION_WORKING_DAYS"]
            self._due[completed] = add_working_days(completed, days)
        return self._due[completed]

    def left(self, due: date) -> int:
        if due not in self._left:
            self._left[due] = working_days_between(self.today, due)
        return self._left[due]


def _task_deadline(task, sums: _Deadlines, counts) -> TaskDeadline:
    row = TaskDeadline(task, **counts.get(task.pk, {}))
    units = open_units(task)
    row.open = len(units)
    row.ready = sum(unit.ready for unit in units)
    try:
        if units:
            row.next_due = min(sums.due(unit.completed_on) for unit in units)
            row.days_left = sums.left(row.next_due)
    except YearNotInCalendar as error:
        row.error = error.messages[0]
    return row


def _tasks_for(user):
    tasks = SpotCheckTask.objects.filter(visits__field__completed_at__isnull=False).distinct()
    if not user.is_office:
        tasks = tasks.filter(department=user.department_id)
    return tasks.select_related("department").order_by("department__code", "number")


def _counts(tasks) -> dict:
    counts = defaultdict(dict)
    for row in (
        PublicRecord.objects.filter(task__in=tasks)
        .values("task")
        .annotate(published=Count("id"), late=Count("id", filter=Q(on_time=False)))
    ):
        counts[row["task"]].update(published=row["published"], late=row["late"])
    for row in (
        DisclosureExemption.objects.filter(task__in=tasks, status=ExemptionStatus.APPROVED)
        .values("task")
        .annotate(withheld=Count("id"))
    ):
        counts[row["task"]]["withheld"] = row["withheld"]
    return counts


def task_deadline_list(*, user, today: date | None = None) -> list[TaskDeadline]:
    """The user's department's tasks with completed checks (every department's for the office)."""
    if not user.is_authenticated:
        return []
    tasks = list(_tasks_for(user))
    sums = _Deadlines(today or timezone.localdate())
    counts = _counts(tasks)
    return [_task_deadline(task, sums, counts) for task in tasks]


@dataclass
class DepartmentDeadlines:
    department: object
    tasks: list[TaskDeadline] = field(default_factory=list)

    def count(self, state: DeadlineState) -> int:
        return sum(row.state == state for row in self.tasks)

    @property
    def overdue(self) -> int:
        return self.count(DeadlineState.OVERDUE)

    @property
    def due_soon(self) -> int:
        return self.count(DeadlineState.DUE_SOON)

    @property
    def published(self) -> int:
        return sum(row.published for row in self.tasks)

    @property
    def late(self) -> int:
        return sum(row.late for row in self.tasks)

    @property
    def withheld(self) -> int:
        return sum(row.withheld for row in self.tasks)


def by_department(rows: list[TaskDeadline]) -> list[DepartmentDeadlines]:
    groups: dict[int, DepartmentDeadlines] = {}
    for row in rows:
        department = row.task.department
        groups.setdefault(department.pk, DepartmentDeadlines(department)).tasks.append(row)
    return list(groups.values())

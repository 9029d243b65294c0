"""Working-day arithmetic over the calendar table. A date in a year the table does not cover is
an error (never a guess): deadlines must follow the State Council's notice for that year."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .errors import PublicationErrorCode
from .models import CalendarDay, CalendarYear


class YearNotInCalendar(ValidationError):
    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "工作日历中没有%(year)s年：请联席会议办公室按国务院办公厅当年放假通知录入后再计算期限"
            )
            % {"year": year},
            code=PublicationErrorCode.YEAR_NOT_IN_CALENDAR,
        )


def _require_years(first: int, last: int) -> None:
    covered = set(
        CalendarYear.objects.filter(year__range=(first, last)).values_list("year", flat=True)
    )
    for year in range(first, last + 1):
        if year not in covered:
            raise YearNotInCalendar(year)


def add_working_days(start: date, n: int) -> date:
    """The day `n` working days after `start` (start itself not counted; n = 0 gives start)."""
    if n < 0:
        raise ValueError("n must not be negative")
    _require_years(start.year, start.year)
    if n == 0:
        return start
    found = (
        CalendarDay.objects.filter(date__gt=start, is_working=True)
        .order_by("date")
        .values_list("date", flat=True)[n - 1 : n]
    )
    day = found[0] if found else None
    if day is None:
        # The table ran out: the first year after the last covered one is missing.
        last = CalendarYear.objects.filter(year__gte=start.year).order_by("-year").first()
        raise YearNotInCalendar(last.year + 1)
    _require_years(start.year, day.year)
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; negative when `end` is earlier."""
    if end < start:
        return -working_days_between(end, start)
    _require_years(start.year, end.year)
    return CalendarDay.objects.filter(date__gt=start, date__lte=end, is_working=True).count()

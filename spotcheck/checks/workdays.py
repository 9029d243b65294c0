"""Working days (工作日) from the official holiday calendar. The publication app's calendar
(add_working_days) is the project's one calendar once merged; this helper is the only place the
checks app counts working days, so switching is one line."""

from datetime import date, timedelta

import chinese_calendar


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the calendar does not list yet: weekdays
        return day.weekday() < 5


def working_days_after(start: date, end: date) -> int:
    """Working days in (start, end]: a check on Friday filed on Monday is 1 working day late."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count

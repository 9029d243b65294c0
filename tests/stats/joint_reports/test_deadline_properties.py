"""Deadlines of the joint-check reports against the seeded working-day calendar: never earlier
than the seed's calendar days, always a working day, and no working day skipped on the way."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spotcheck.publication.models import CalendarDay
from spotcheck.stats.joint_reports.deadlines import DAYS, report_due
from spotcheck.stats.joint_reports.models import ReportKind

UNTIMED = settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
KINDS = [ReportKind.RESULT, ReportKind.SUMMARY, ReportKind.DEPARTMENT_SUMMARY]


@pytest.mark.django_db
@UNTIMED
@given(
    ended=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 15)),
    kind=st.sampled_from(KINDS),
)
def test_a_deadline_is_the_first_working_day_on_or_after_the_seeds_period(ended, kind):
    due = report_due(kind, ended)
    plain = ended + timedelta(days=DAYS[kind])
    assert due >= plain
    working = dict(
        CalendarDay.objects.filter(date__range=(plain, due)).values_list("date", "is_working")
    )
    assert working[due] is True
    assert not any(working[plain + timedelta(days=n)] for n in range((due - plain).days))


@pytest.mark.django_db
def test_without_the_years_calendar_the_plain_date_stands():
    assert report_due(ReportKind.RESULT, date(2030, 9, 22)) == date(2030, 10, 2)
    assert report_due(ReportKind.RESULT, None) is None

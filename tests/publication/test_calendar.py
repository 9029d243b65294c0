"""The working-day calendar against the State Council's holiday notices, day by day; a year
not in the table is refused, never guessed."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.publication.calendar_files import read_calendar_file
from spotcheck.publication.models import CalendarDay, CalendarYear
from spotcheck.publication.services.calendar import calendar_day_set, calendar_year_import
from spotcheck.publication.workdays import (
    YearNotInCalendar,
    add_working_days,
    working_days_between,
)


def _span(first: str, last: str) -> set[date]:
    day, end = date.fromisoformat(first), date.fromisoformat(last)
    days = set()
    while day <= end:
        days.add(day)
        day += timedelta(days=1)
    return days


def _days(*isos: str) -> set[date]:
    return {date.fromisoformat(d) for d in isos}


# 国办发明电〔2024〕12号: the holidays of 2025 and the weekend days made working days.
HOLIDAYS_2025 = (
    _days("2025-01-01")
    | _span("2025-01-28", "2025-02-04")
    | _span("2025-04-04", "2025-04-06")
    | _span("2025-05-01", "2025-05-05")
    | _span("2025-05-31", "2025-06-02")
    | _span("2025-10-01", "2025-10-08")
)
MADE_WORKING_2025 = _days("2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11")

# 国办发明电〔2025〕7号: 2026.
HOLIDAYS_2026 = (
    _span("2026-01-01", "2026-01-03")
    | _span("2026-02-15", "2026-02-23")
    | _span("2026-04-04", "2026-04-06")
    | _span("2026-05-01", "2026-05-05")
    | _span("2026-06-19", "2026-06-21")
    | _span("2026-09-25", "2026-09-27")
    | _span("2026-10-01", "2026-10-07")
)
MADE_WORKING_2026 = _days(
    "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"
)


@pytest.mark.parametrize(
    ("year", "holidays", "made_working"),
    [(2025, HOLIDAYS_2025, MADE_WORKING_2025), (2026, HOLIDAYS_2026, MADE_WORKING_2026)],
)
def test_every_day_of_the_year_follows_the_notice(db, year, holidays, made_working):
    # Given the calendar seeded on migrate, when each day of the year is read,
    table = dict(CalendarDay.objects.filter(date__year=year).values_list("date", "is_working"))
    assert len(table) == len(_span(f"{year}-01-01", f"{year}-12-31"))
    # then it is a working day exactly when the notice and the plain week say so.
    for day in sorted(table):
        expected = day in made_working or (day.weekday() < 5 and day not in holidays)
        assert table[day] is expected, day


def test_holidays_carry_their_names_and_make_up_days_say_so(db):
    assert CalendarDay.objects.get(date=date(2026, 2, 17)).note == "春节"
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).note == "调休上班"


def test_twenty_working_days_skip_the_spring_festival_and_count_make_up_saturdays(db):
    # A check completed on Friday 6 February 2026: the Saturday 14th works, 15th–23rd rest,
    # the Saturday 28th works.
    assert add_working_days(date(2026, 2, 6), 1) == date(2026, 2, 9)
    assert add_working_days(date(2026, 2, 6), 6) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 6), 7) == date(2026, 2, 24)
    assert add_working_days(date(2026, 2, 6), 20) == date(2026, 3, 12)
    assert working_days_between(date(2026, 2, 6), date(2026, 3, 12)) == 20
    assert working_days_between(date(2026, 3, 12), date(2026, 2, 6)) == -20
    assert add_working_days(date(2026, 2, 6), 0) == date(2026, 2, 6)


def test_a_deadline_running_into_an_unseeded_year_is_refused(db):
    # Given 2026 is the last year in the table, when a December check needs 20 working days,
    with pytest.raises(YearNotInCalendar, match="工作日历中没有2027年"):
        add_working_days(date(2026, 12, 20), 20)
    with pytest.raises(YearNotInCalendar, match="2030"):
        add_working_days(date(2030, 3, 1), 1)
    with pytest.raises(YearNotInCalendar):
        working_days_between(date(2026, 12, 1), date(2027, 1, 10))


def test_cli_prints_the_iso_date_and_refuses_an_unseeded_year_in_chinese(db):
    out = io.StringIO()
    call_command("calendar", "add-working-days", "2025-09-26", "3", stdout=out)
    # 27th Saturday rests, 28th Sunday works (make-up day), 29th, 30th work.
    assert out.getvalue().strip() == "2025-09-30"
    with pytest.raises(CommandError, match="工作日历中没有2027年"):
        call_command("calendar", "add-working-days", "2027-01-04", "1")
    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("calendar", "add-working-days", "04/01/2026", "1")


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("2027.csv", text.encode("utf-8-sig"), content_type="text/csv")


def test_office_imports_a_new_year_from_the_notice(db, office_admin_wang):
    # Given the State Council's notice for 2027 typed into a CSV,
    rows = read_calendar_file(
        _csv("日期,类型,说明\n2027-01-01,放假,元旦\n2027-02-06,放假,春节\n2027-02-20,上班,\n"), 2027
    )
    # when the office imports it,
    calendar_year_import(
        actor=office_admin_wang, year=2027, rows=rows, notice="示例：2027年放假通知"
    )
    # then 2027 deadlines are computed: Friday 1 January rests, the Saturday 20 February works.
    assert CalendarYear.objects.get(year=2027).source == "office"
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert CalendarDay.objects.get(date=date(2027, 2, 20)).note == "调休上班"
    assert AuditEvent.objects.filter(event_type=AuditEventType.CALENDAR_YEAR_IMPORTED).count() == 1


def test_a_bad_calendar_file_names_row_and_column_and_writes_nothing(db):
    bad = _csv("日期,类型,说明\n2027-13-01,放假,\n2027-05-01,休假吧,\n2026-05-01,放假,\n")
    with pytest.raises(ValidationError) as error:
        read_calendar_file(bad, 2027)
    assert error.value.messages == [
        "第2行A列：日期无法识别，请写作 2027-01-01",
        "第3行B列：类型须为“放假”或“上班”",
        "第4行A列：日期 2026-05-01 不在2027年",
    ]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_only_the_office_edits_the_calendar_and_each_edit_is_audited(
    db, office_admin_wang, liaison_zhao
):
    with pytest.raises(PermissionDenied):
        calendar_day_set(actor=liaison_zhao, day=date(2026, 12, 31), is_working=False)
    calendar_day_set(actor=office_admin_wang, day=date(2026, 12, 31), is_working=False, note="示例")
    assert not CalendarDay.objects.get(date=date(2026, 12, 31)).is_working
    event = AuditEvent.objects.get(event_type=AuditEventType.CALENDAR_DAY_SET)
    assert event.actor == office_admin_wang
    assert event.extra["was_working"] is True

"""The office keeps the working-day calendar: one day at a time, or a whole year from the
State Council's notice. Each write is one audited transaction."""

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from ..calendar_files import CalendarRow
from ..models import CalendarDay, CalendarYear, PublicRecord
from ..seeding import MADE_WORKING, days_of, seed_years
from ..workdays import YearNotInCalendar, add_working_days


def _require_office(actor) -> None:
    if not actor.is_office:
        raise PermissionDenied


@transaction.atomic
def calendar_day_set(*, actor, day: date, is_working: bool, note: str = "") -> CalendarDay:
    """Correct one day of a covered year (e.g. a late change to the notice)."""
    _require_office(actor)
    year = CalendarYear.objects.select_for_update().filter(year=day.year).first()
    if year is None:
        raise YearNotInCalendar(day.year)
    row = CalendarDay.objects.select_for_update().get(date=day)
    before = row.is_working
    row.is_working, row.note = is_working, note
    row.save(update_fields=["is_working", "note"])
    year.source, year.updated_by = CalendarYear.Source.OFFICE, actor
    year.save(update_fields=["source", "updated_by", "updated_at"])
    audit_event_record(
        event_type=AuditEventType.CALENDAR_DAY_SET,
        actor=actor,
        target=row,
        extra={"date": day.isoformat(), "was_working": before, "is_working": is_working},
    )
    return row


@transaction.atomic
def calendar_year_import(
    *, actor, year: int, rows: list[CalendarRow], notice: str = ""
) -> CalendarYear:
    """Write (or rewrite) a whole year: Monday to Friday work, weekends rest, then the notice's
    holidays and make-up working days from `rows`."""
    _require_office(actor)
    exceptions = {row.day: row for row in rows}
    CalendarDay.objects.filter(date__year=year).delete()
    days = []
    for day in days_of(year):
        row = exceptions.get(day)
        if row is None:
            days.append(CalendarDay(date=day, is_working=day.weekday() < 5))
        else:
            note = row.note or (MADE_WORKING if row.is_working else "")
            days.append(CalendarDay(date=day, is_working=row.is_working, note=note))
    CalendarDay.objects.bulk_create(days)
    record, _created = CalendarYear.objects.update_or_create(
        year=year,
        defaults={"source": CalendarYear.Source.OFFICE, "notice": notice, "updated_by": actor},
    )
    filled = _record_due_dates_fill()
    audit_event_record(
        event_type=AuditEventType.CALENDAR_YEAR_IMPORTED,
        actor=actor,
        target=record,
        extra={
            "year": year,
            "notice": notice,
            "holidays": sorted(d.isoformat() for d, r in exceptions.items() if not r.is_working),
            "working": sorted(d.isoformat() for d, r in exceptions.items() if r.is_working),
            "records_given_a_deadline": filled,
        },
    )
    return record


@transaction.atomic
def calendar_years_seed() -> list[int]:
    """Add the years the bundled calendar (chinesecalendar) knows and the table lacks, e.g. after
    an upgrade brings next year's notice; records waiting for a deadline in those years get it.
    Run by the command line (no user), audited when it adds a year."""
    seeded = seed_years(CalendarYear, CalendarDay)
    if seeded:
        filled = _record_due_dates_fill()
        audit_event_record(
            event_type=AuditEventType.CALENDAR_YEARS_SEEDED,
            target_type="calendar",
            target_id=",".join(map(str, seeded)),
            extra={"years": seeded, "records_given_a_deadline": filled},
        )
    return seeded


def _record_due_dates_fill() -> int:
    """Give the records published before their deadline's year was entered their deadline, now
    that it can be counted; runs inside the calendar write that made it countable."""
    days = settings.SPOTCHECK_RULES["PUBLICATION_WORKING_DAYS"]
    filled = 0
    for completed_on in (
        PublicRecord.objects.filter(due_on__isnull=True)
        .values_list("completed_on", flat=True)
        .distinct()
    ):
        try:
            due = add_working_days(completed_on, days)
        except YearNotInCalendar:
            continue
        filled += PublicRecord.objects.filter(
            due_on__isnull=True, completed_on=completed_on
        ).update(due_on=due)
    return filled

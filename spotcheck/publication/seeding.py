"""Seeding the working-day calendar from `chinesecalendar` (the State Council's notices as
data). Takes the model classes so the data migration can pass its historical models."""

from datetime import date, timedelta

import chinese_calendar
from chinese_calendar import constants

MADE_WORKING = "调休上班"
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def covered_years() -> list[int]:
    """Years for which the library carries a State Council notice."""
    return sorted({day.year for day in constants.holidays})


def days_of(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def chinesecalendar_day(day: date) -> tuple[bool, str]:
    """(is working, note) for one day as the library has it."""
    if day in constants.workdays:
        return True, MADE_WORKING
    is_holiday, name = chinese_calendar.get_holiday_detail(day)
    if is_holiday and name:
        return False, HOLIDAY_NAMES.get(name, name)
    return not is_holiday, ""


def seed_years(year_model, day_model, *, years=None) -> list[int]:
    """Write every day of each covered year not already in the table (an office's edits stay)."""
    present = set(year_model.objects.values_list("year", flat=True))
    seeded = []
    for year in years or covered_years():
        if year in present:
            continue
        rows = [
            day_model(date=day, is_working=working, note=note)
            for day in days_of(year)
            for working, note in [chinesecalendar_day(day)]
        ]
        day_model.objects.bulk_create(rows)
        year_model.objects.create(year=year, source="chinesecalendar")
        seeded.append(year)
    return seeded

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from spotcheck.publication.services.calendar import calendar_years_seed
from spotcheck.publication.workdays import YearNotInCalendar, add_working_days


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期格式不正确：{text}（请写作 2026-05-06）") from None


class Command(BaseCommand):
    help = (
        "Working-day calendar. `add-working-days DATE N` prints the date N working days after "
        "DATE; `seed` adds the years chinesecalendar knows and the table lacks (audited; results "
        "published before their deadline's year was known get their deadline)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add-working-days")
        add.add_argument("date", type=_iso_date)
        add.add_argument("n", type=int)
        sub.add_parser("seed")

    def handle(self, *args, **options):
        if options["action"] == "seed":
            seeded = calendar_years_seed()
            self.stdout.write(f"seeded years: {', '.join(map(str, seeded)) or 'none'}")
            return
        if options["n"] < 0:
            raise CommandError("N 不能为负数")
        try:
            day = add_working_days(options["date"], options["n"])
        except YearNotInCalendar as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(day.isoformat())

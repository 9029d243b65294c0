from datetime import date

from django.core.management.base import BaseCommand, CommandError

from spotcheck.inspections.overdue import overdue_by_department_and_team


class Command(BaseCommand):
    help = (
        "The 10-day rule: `spotcheck flag_overdue` lists results past their deadline and not "
        "yet submitted, grouped by department and visit team."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="count as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from exc
        grouped = overdue_by_department_and_team(today=today)
        if not grouped:
            self.stdout.write("no overdue results")
            return
        total = 0
        for department, teams in grouped.items():
            self.stdout.write(f"{department.code} {department.name}")
            for team, rows in teams.items():
                self.stdout.write(f"  检查组：{'、'.join(team) or '—'}")
                for row in rows:
                    items = [r for r in row.results if r.department_id == department.pk]
                    total += len(items)
                    visit = row.visit
                    self.stdout.write(
                        f"    {visit.batch.number}/{visit.visit_id} {visit.entity.name}"
                        f"  期限 {row.results_due.isoformat()}，逾期 {row.days_late} 天"
                    )
                    for result in items:
                        self.stdout.write(
                            f"      - {result.item.name}（{result.get_status_display()}）"
                        )
        self.stdout.write(f"{total} overdue result(s)")

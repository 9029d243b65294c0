from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime

from spotcheck.credit.models import CreditRunTrigger
from spotcheck.credit.services import credit_recompute
from spotcheck.credit.tasks import monthly_recompute_schedule, recompute_credit_classes


class Command(BaseCommand):
    help = (
        "Credit-risk classes. `spotcheck credit recompute` classifies every entity by the rules "
        "in SPOTCHECK_CREDIT_RULES now (--queue: in the task worker); `spotcheck credit "
        "schedule` queues the monthly run for the 1st of next month, which then queues the next."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["recompute", "schedule"])
        parser.add_argument("--queue", action="store_true", help="run in the task worker")
        parser.add_argument("--date", help="classify as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        if options["action"] == "schedule":
            when = monthly_recompute_schedule()
            self.stdout.write(
                f"monthly credit recomputation queued for {localtime(when):%Y-%m-%d %H:%M}"
            )
            return
        if options["queue"]:
            result = recompute_credit_classes.enqueue(trigger=CreditRunTrigger.COMMAND)
            self.stdout.write(f"queued credit recomputation {result.id}")
            return
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {options['date']!r}") from exc
        run = credit_recompute(trigger=CreditRunTrigger.COMMAND, today=today)
        self.stdout.write(run.counts_line())
        self.stdout.write(
            f"rules {run.rule_version}: {run.entities} entities, {run.changed} changed"
        )

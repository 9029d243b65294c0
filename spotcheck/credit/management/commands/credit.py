from datetime import date

from django.core.management.base import BaseCommand, CommandError

from spotcheck.credit.models import CreditRunTrigger
from spotcheck.credit.services import credit_recompute
from spotcheck.credit.tasks import recompute_credit_classes


class Command(BaseCommand):
    help = (
        "Credit-risk classes. `spotcheck credit recompute` classifies every entity by the rules "
        "in SPOTCHECK_CREDIT_RULES now; with --queue it hands the work to the task worker (the "
        "monthly cron line)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["recompute"])
        parser.add_argument("--queue", action="store_true", help="run in the task worker")
        parser.add_argument("--date", help="classify as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        if options["queue"]:
            result = recompute_credit_classes.enqueue(trigger=CreditRunTrigger.MONTHLY)
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

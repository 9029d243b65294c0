from django.core.management.base import BaseCommand

from spotcheck.stats.tasks import send_warning_digest


class Command(BaseCommand):
    help = "Queue this week's early-warning digest (run weekly from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="send in this process")

    def handle(self, *args, **options):
        if options["now"]:
            sent = send_warning_digest.call()
            self.stdout.write(f"digests sent: {sent}")
        else:
            send_warning_digest.enqueue()
            self.stdout.write("digest queued")

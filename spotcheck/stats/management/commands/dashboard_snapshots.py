from django.core.management.base import BaseCommand

from spotcheck.stats.tasks import refresh_dashboard_snapshots


class Command(BaseCommand):
    help = "Queue the refresh of the precomputed dashboards (run every 15 minutes from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="compute in this process")

    def handle(self, *args, **options):
        if options["now"]:
            written = refresh_dashboard_snapshots.call()
            self.stdout.write(f"dashboards computed: {written}")
        else:
            refresh_dashboard_snapshots.enqueue()
            self.stdout.write("refresh queued")

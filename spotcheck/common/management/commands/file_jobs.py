from django.core.management.base import BaseCommand

from spotcheck.common.services import file_jobs_purge
from spotcheck.common.tasks import purge_schedule


class Command(BaseCommand):
    help = (
        "Old export files and notice archives: `purge` removes those finished more than "
        "SPOTCHECK_FILE_JOB_KEEP_DAYS ago now; `schedule` queues the nightly removal job."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["purge", "schedule"])

    def handle(self, *args, **options):
        if options["action"] == "schedule":
            when = purge_schedule()
            self.stdout.write(f"nightly removal of old job files queued for {when.isoformat()}")
            return
        removed = file_jobs_purge()
        for kind, count in removed.items():
            self.stdout.write(f"{kind}: {count} removed")

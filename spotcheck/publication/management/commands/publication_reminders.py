from django.core.management.base import BaseCommand

from spotcheck.publication.tasks import send_publication_reminders


class Command(BaseCommand):
    help = "Queue today's publication-deadline reminders (run daily from cron)."

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="send in this process")

    def handle(self, *args, **options):
        if options["now"]:
            written = send_publication_reminders.call()
            self.stdout.write(f"reminders written: {written}")
        else:
            send_publication_reminders.enqueue()
            self.stdout.write("reminders queued")

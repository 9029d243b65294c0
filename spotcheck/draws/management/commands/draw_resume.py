from django.core.management.base import BaseCommand, CommandError

from spotcheck.draws.models import BatchStatus, DrawBatch
from spotcheck.draws.tasks import run_draw


class Command(BaseCommand):
    help = (
        "Queue the draw of a batch still drawing again, e.g. after a queue worker died: a split "
        "draw redraws only its ranges not stored yet. spotcheck draw_resume BATCH_NUMBER"
    )

    def add_arguments(self, parser):
        parser.add_argument("number")

    def handle(self, *args, number, **options):
        batch = DrawBatch.objects.filter(number=number).first()
        if batch is None:
            raise CommandError(f"no batch {number}")
        if batch.status != BatchStatus.DRAWING:
            raise CommandError(f"batch {number} is {batch.status}, not drawing")
        missing = (
            batch.split.ranges.filter(finished_at__isnull=True).count()
            if hasattr(batch, "split")
            else None
        )
        run_draw.enqueue(batch.pk)
        what = "the draw" if missing is None else f"{missing} missing ranges (or the merge)"
        self.stdout.write(f"queued {what} of batch {number}")

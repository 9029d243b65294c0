from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from spotcheck.draws.models import DrawBatch
from spotcheck.draws.resume import batch_resume_draw, ranges_missing


class Command(BaseCommand):
    help = (
        "Queue the draw of a batch still drawing again, e.g. after a queue worker died: a split "
        "draw redraws only its ranges not stored yet. The batch page's 继续抽取 does the same "
        "once the draw has stalled. spotcheck draw_resume BATCH_NUMBER"
    )

    def add_arguments(self, parser):
        parser.add_argument("number")

    def handle(self, *args, number, **options):
        batch = DrawBatch.objects.filter(number=number).first()
        if batch is None:
            raise CommandError(f"no batch {number}")
        missing = ranges_missing(batch)
        try:
            batch_resume_draw(actor=None, batch=batch, force=True)
        except ValidationError as error:
            raise CommandError(f"batch {number} is {batch.status}, not drawing") from error
        what = "the draw" if missing is None else f"{missing} missing ranges (or the merge)"
        self.stdout.write(f"queued {what} of batch {number}")

"""A draw whose job stopped is resumed, not left 抽取中 for ever.

A ``DrawError`` fails the batch with its reasons (``drawing.fail_draw``). Anything else a job of
the draw raises (a missing file, a database error, a worker stopped) is noted on the batch by
``draw_job_watch``; a job that dies without a word (a worker killed) shows only as a batch with
no progress for ``SPOTCHECK_DRAW_STALL_MINUTES``. Either way the batch page offers 继续抽取,
which queues ``run_draw`` again, as ``spotcheck draw_resume`` does: the draw depends only on the
committed files and the entered randomness, so running it again gives the same kit, and a split
draw redraws only its ranges not stored yet."""

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record

from .errors import BatchErrorCode
from .models import BatchStatus, DrawBatch, DrawRange, DrawSplit
from .services import may_run_batch

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DrawStall:
    """Why a drawing batch needs resuming: its job stopped (``stopped``), or nothing has moved
    since ``since`` for longer than the bound."""

    stopped: bool
    since: datetime

    @property
    def minutes(self) -> int:
        return settings.SPOTCHECK_DRAW_STALL_MINUTES


def draw_stall(batch: DrawBatch) -> DrawStall | None:
    """None while the draw is moving (or the batch is not drawing). No query unless the bound
    has passed since the randomness was entered or the draw resumed."""
    if batch.status != BatchStatus.DRAWING:
        return None
    if batch.draw_stopped_at is not None:
        return DrawStall(stopped=True, since=batch.draw_stopped_at)
    bound = timedelta(minutes=settings.SPOTCHECK_DRAW_STALL_MINUTES)
    now = timezone.now()
    moved = _latest(batch.randomness_entered_at, batch.draw_resumed_at) or now
    if now - moved < bound:
        return None
    split = DrawSplit.objects.filter(batch=batch).aggregate(
        planned=Max("created_at"), ranged=Max("ranges__finished_at")
    )
    moved = _latest(moved, split["planned"], split["ranged"])
    if now - moved < bound:
        return None
    return DrawStall(stopped=False, since=moved)


def _latest(*times: datetime | None) -> datetime | None:
    return max((t for t in times if t is not None), default=None)


def ranges_missing(batch: DrawBatch) -> int | None:
    """Ranges of a split draw not stored yet; None for a draw in one job."""
    if not DrawSplit.objects.filter(batch=batch).exists():
        return None
    return DrawRange.objects.filter(split__batch=batch, finished_at__isnull=True).count()


@transaction.atomic
def batch_resume_draw(*, actor, batch: DrawBatch, force: bool = False) -> DrawBatch:
    """Queue the draw of a batch still drawing again. From the batch page only once it has
    stalled (a second click must not queue a second draw); ``force`` (the command line, run by
    whoever operates the queue: ``actor`` None) also while it still seems to move."""
    from .tasks import run_draw

    if actor is not None and not may_run_batch(actor, batch):
        raise PermissionDenied
    batch = DrawBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAWING:
        raise ValidationError(
            _("该批次当前为“%(s)s”，无需继续抽取") % {"s": batch.get_status_display()},
            code=BatchErrorCode.WRONG_STATE,
        )
    stall = draw_stall(batch)
    if stall is None and not force:
        raise ValidationError(
            _("抽取正在进行，无需继续抽取；完成后页面自动刷新"),
            code=BatchErrorCode.DRAW_NOT_STALLED,
        )
    missing = ranges_missing(batch)
    batch.draw_stopped_at = None
    batch.draw_resumed_at = timezone.now()
    batch.save(update_fields=["draw_stopped_at", "draw_resumed_at"])
    audit_event_record(
        event_type=AuditEventType.DRAW_RESUMED,
        actor=actor,
        department=batch.department,
        target=batch,
        extra={
            "via": "command" if actor is None else "page",
            "stalled": "" if stall is None else ("stopped" if stall.stopped else "no progress"),
            "ranges_missing": missing,
        },
    )
    transaction.on_commit(lambda: run_draw.enqueue(batch.pk))
    return batch


@transaction.atomic
def batch_record_stop(*, batch_id: int, job: str, error: BaseException, **where) -> None:
    """Note on a drawing batch that one of its jobs stopped on ``error``; audited with the
    exception's class (never shown on the page)."""
    batch = DrawBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None or batch.status != BatchStatus.DRAWING:
        return  # e.g. the merge-offer step after a finished draw: the draw itself is done
    batch.draw_stopped_at = timezone.now()
    batch.save(update_fields=["draw_stopped_at"])
    kind = type(error)
    audit_event_record(
        event_type=AuditEventType.DRAW_JOB_STOPPED,
        department=batch.department,
        target=batch,
        extra={"job": job, "error": f"{kind.__module__}.{kind.__qualname__}", **where},
    )


@contextmanager
def draw_job_watch(batch_id: int, job: str, **where):
    """Around a job of the draw: whatever it raises is noted on the batch, then raised on, so
    the queue records the job as failed with its traceback."""
    try:
        yield
    except BaseException as error:
        try:
            batch_record_stop(batch_id=batch_id, job=job, error=error, **where)
        except Exception:  # e.g. the database is what failed: the stall bound will show it
            logger.exception("could not note the stop of %s for batch %s", job, batch_id)
        raise

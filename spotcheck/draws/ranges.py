"""The draw split across queue workers (draw-spec §8): ``run_draw`` plans the split and queues
one ``run_draw_range`` job per USCC range; each stores its range's candidates; the job that
stores the last one queues ``merge_draw``, which draws the batch from the merged candidates
(the one-process draw, byte for byte) and stores it as ``drawing.batch_run_draw`` does. Until
the merge nothing about the batch changes but these bookkeeping rows.

A worker that dies leaves its range without candidates: ``run_draw`` queued again (``spotcheck
draw resume``) queues only the ranges still missing, or the merge when none is."""

import json

from django.db import transaction
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck_draw.errors import DrawError
from spotcheck_draw.split import (
    SplitPlan,
    decode_candidates,
    encode_candidates,
    merged_pass,
    plan_split,
    range_candidates,
)
from spotcheck_draw.tickets import make_seed

from .drawing import draw_from_files, fail_draw
from .models import BatchStatus, DrawBatch, DrawRange, DrawSplit
from .services import batch_folder


def split_draw_start(batch: DrawBatch, parts: int) -> DrawBatch:
    """Plan the split once, then queue what is missing: the ranges not drawn yet, else the
    merge."""
    split = DrawSplit.objects.filter(batch=batch).first()
    if split is None:
        folder = batch_folder(batch)
        try:
            seed = make_seed(batch.population_root, batch.design_hash, batch.randomness_value)
            plan = plan_split(
                json.loads((folder / "design.json").read_bytes()),
                (folder / "population.tsv").read_bytes(),
                seed,
                parts,
            )
        except DrawError as error:
            return fail_draw(batch, error)
        split = _split_create(batch, plan)
        if split is None:  # drawn, failed, or planned by another job meanwhile
            return batch
    _queue_missing(batch, split)
    return batch


def _queue_missing(batch: DrawBatch, split: DrawSplit) -> None:
    from .tasks import merge_draw, run_draw_range

    missing = split.ranges.filter(finished_at__isnull=True).values_list("index", flat=True)
    indexes = list(missing)
    for index in indexes:
        run_draw_range.enqueue(batch.pk, index)
    if not indexes:
        merge_draw.enqueue(batch.pk)


@transaction.atomic
def _split_create(batch: DrawBatch, plan: SplitPlan) -> DrawSplit | None:
    batch = DrawBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAWING or DrawSplit.objects.filter(batch=batch).exists():
        return None
    split = DrawSplit.objects.create(batch=batch, plan=plan.encode())
    DrawRange.objects.bulk_create(
        DrawRange(split=split, index=i, start=start, end=end)
        for i, (start, end) in enumerate(plan.ranges)
    )
    audit_event_record(
        event_type=AuditEventType.DRAW_SPLIT_PLANNED,
        department=batch.department,
        target=batch,
        extra={"ranges": len(plan.ranges)},
    )
    return split


def batch_draw_range(batch_id: int, index: int) -> None:
    """Draw one range's tickets and store its candidates; the last range queues the merge."""
    from .tasks import merge_draw

    part = (
        DrawRange.objects.select_related("split__batch")
        .filter(split__batch_id=batch_id, index=index)
        .first()
    )
    if part is None or part.finished_at is not None:
        return
    batch = part.split.batch
    if batch.status != BatchStatus.DRAWING:
        return
    with open(batch_folder(batch) / "population.tsv", "rb") as population:
        population.seek(part.start)
        chunk = population.read(part.end - part.start)
    try:
        found = range_candidates(chunk, SplitPlan.decode(part.split.plan))
    except DrawError as error:
        fail_draw(batch, error)
        return
    if _range_store(part, encode_candidates(found)):
        merge_draw.enqueue(batch_id)


@transaction.atomic
def _range_store(part: DrawRange, candidates: str) -> bool:
    """Store a range's candidates; True when it was the last range missing. The batch's row
    lock makes the ranges finishing together take turns, so exactly one sees the last."""
    batch = DrawBatch.objects.select_for_update().get(pk=part.split.batch_id)
    fresh = DrawRange.objects.filter(pk=part.pk, finished_at__isnull=True).first()
    if batch.status != BatchStatus.DRAWING or fresh is None:
        return False
    fresh.candidates = candidates
    fresh.finished_at = timezone.now()
    fresh.save(update_fields=["candidates", "finished_at"])
    audit_event_record(
        event_type=AuditEventType.DRAW_RANGE_DRAWN,
        department=batch.department,
        target=batch,
        extra={"range": part.index, "candidates": candidates.count("\n")},
    )
    return not DrawRange.objects.filter(split=part.split, finished_at__isnull=True).exists()


def batch_merge_draw(batch_id: int) -> DrawBatch:
    """Draw the batch from its ranges' candidates; idempotent like ``batch_run_draw``."""
    batch = DrawBatch.objects.get(pk=batch_id)
    split = DrawSplit.objects.filter(batch=batch).first()
    if batch.status != BatchStatus.DRAWING or split is None:
        return batch
    ranges = list(split.ranges.all())
    if any(part.finished_at is None for part in ranges):
        _queue_missing(batch, split)
        return batch
    plan = SplitPlan.decode(split.plan)
    parts = [decode_candidates(part.candidates) for part in ranges]
    return draw_from_files(batch, ticket_pass=merged_pass(plan, parts))

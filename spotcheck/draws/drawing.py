"""The draw itself, run by the queue worker: the engine writes the verification kit, and the
visits and teams stored here are read back from that kit, so the database equals what is
published. A failure (e.g. a visit nobody may staff) assigns nothing."""

import json
import os
import shutil
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.services import audit_event_record
from spotcheck.directory.models import Inspector, MarketEntity
from spotcheck.plans.models import SpotCheckTask, TaskStatus
from spotcheck_draw.errors import DrawError
from spotcheck_draw.kit import run_kit
from spotcheck_draw.selection import PassFunction

from .models import BatchStatus, DrawBatch, DrawSplit, Visit, VisitInspector, new_access_code
from .services import batch_folder


def batch_run_draw(batch_id: int) -> DrawBatch:
    """Idempotent: only a batch waiting in DRAWING is drawn. With SPOTCHECK_DRAW_RANGES > 1
    the ticket pass is split across the queue's workers (``ranges``); run again, a split draw
    resumes."""
    batch = DrawBatch.objects.get(pk=batch_id)
    if batch.status != BatchStatus.DRAWING:
        return batch
    parts = settings.SPOTCHECK_DRAW_RANGES
    if parts > 1 or DrawSplit.objects.filter(batch=batch).exists():
        from .ranges import split_draw_start

        return split_draw_start(batch, parts)
    return draw_from_files(batch)


def draw_from_files(batch: DrawBatch, ticket_pass: PassFunction | None = None) -> DrawBatch:
    """Run the engine on the batch's frozen files into its kit, then store the visits."""
    folder = batch_folder(batch)
    # Its own folder: a merge queued twice may run twice at once; both write the same kit.
    partial, kit = folder / f"kit.partial-{os.getpid()}", folder / "kit"
    shutil.rmtree(partial, ignore_errors=True)
    try:
        run_kit(
            folder / "design.json",
            folder / "population.tsv",
            batch.randomness_value,
            partial,
            workers=settings.SPOTCHECK_DRAW_WORKERS,
            ticket_pass=ticket_pass,
        )
    except DrawError as error:
        shutil.rmtree(partial, ignore_errors=True)
        return fail_draw(batch, error)
    shutil.rmtree(kit, ignore_errors=True)
    partial.rename(kit)
    return _store(batch, kit)


def _read_visits(kit) -> list[list[str]]:
    text = (kit / "visits.tsv").read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines()]


@transaction.atomic
def _store(batch: DrawBatch, kit) -> DrawBatch:
    batch = DrawBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAWING:
        return batch
    rows = _read_visits(kit)
    entities = dict(_entities_by_key([r[1] for r in rows]).values_list("key", "pk"))
    tasks = dict(batch.tasks.values_list("number", "pk"))
    inspectors = {
        f"I{pk}": dept
        for pk, dept in Inspector.objects.filter(
            department__in=batch.tasks.values("department")
        ).values_list("pk", "department_id")
    }
    tickets = {}
    for line in (kit / "selection.tsv").read_text(encoding="utf-8").splitlines():
        _, key, _, ticket = line.split("\t")
        tickets[key] = ticket
    planned = Visit._meta.get_field("planned_date").get_db_prep_save(batch.planned_date, connection)
    _insert(
        Visit,
        ["batch", "visit_id", "entity", "ticket", "planned_date", "access_code"],
        [
            (batch.pk, visit_id, entities[key], tickets[key], planned, new_access_code())
            for visit_id, key, _, _ in rows
        ],
    )
    by_id = dict(Visit.objects.filter(batch=batch).values_list("visit_id", "pk"))
    links, members = [], []
    for visit_id, _, task_ids, inspector_ids in rows:
        visit = by_id[visit_id]
        links += [(visit, tasks[t]) for t in task_ids.split(",")]
        rank: dict[int, int] = defaultdict(int)
        for code in filter(None, inspector_ids.split(",")):
            dept = inspectors[code]
            rank[dept] += 1
            members.append((visit, int(code[1:]), dept, rank[dept]))
    _insert(Visit.tasks.through, ["visit", "spotchecktask"], links)
    _insert(VisitInspector, ["visit", "inspector", "department", "rank"], members)
    record = json.loads((kit / "record.json").read_text(encoding="utf-8"))
    DrawSplit.objects.filter(batch=batch).delete()  # the split's rows end with the draw
    batch.status = BatchStatus.DRAWN
    batch.seed = record["seed"]
    batch.record = record
    batch.visits_saved = record["visits_saved"]
    batch.drawn_at = timezone.now()
    batch.save()
    SpotCheckTask.objects.filter(pk__in=tasks.values()).update(status=TaskStatus.DRAWN)
    audit_event_record(
        event_type=AuditEventType.BATCH_DRAWN,
        department=batch.department,
        target=batch,
        extra={
            "visits": len(rows),
            "selections": record["selections"],
            "visits_saved": record["visits_saved"],
            "seed": record["seed"],
        },
    )
    if len(rows) >= ANALYZE_AFTER_VISITS:
        transaction.on_commit(_analyze_visit_tables)
    return batch


#: A draw of this many visits grows the visit tables more than the planner's statistics know
#: until autovacuum's next pass (minutes away): the work list, planned for 161 visits a batch,
#: joined a province batch's 30,785 row by row (90 ms instead of 20). Refreshed at once then.
ANALYZE_AFTER_VISITS = 5_000


def _analyze_visit_tables() -> None:
    if connection.vendor != "postgresql":
        return
    tables = [Visit, Visit.tasks.through, VisitInspector]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(m._meta.db_table for m in tables)}")


def _entities_by_key(keys: list[str]):
    """The entities of ``keys``; on PostgreSQL one array parameter instead of 30,000."""
    if connection.vendor == "postgresql":
        return MarketEntity.objects.filter(key__in=RawSQL("SELECT unnest(%s::text[])", [keys]))
    return MarketEntity.objects.filter(key__in=keys)


def _insert(model, names: list[str], rows: list[tuple]) -> None:
    """Insert ``rows`` of values for the fields ``names``, already as the database takes them,
    every other field taking its default, without the ORM building an object per row (a
    province's batch writes 30,000 visits and twice as many team rows in the draw's
    transaction): COPY on PostgreSQL, executemany elsewhere."""
    given = [model._meta.get_field(name) for name in names]
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f not in given]
    if any(f.has_default() and callable(f.default) for f in rest):
        raise ValueError(f"{model.__name__}: give every field whose default is made per row")
    fields = [*given, *rest]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row + defaults)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                [row + defaults for row in rows],
            )


@transaction.atomic
def fail_draw(batch: DrawBatch, error: DrawError) -> DrawBatch:
    batch = DrawBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.DRAWING:
        return batch
    DrawSplit.objects.filter(batch=batch).delete()
    lines = [error.message, *error.details]
    batch.status = BatchStatus.FAILED
    batch.failure = "\n".join(lines)
    batch.save(update_fields=["status", "failure"])
    audit_event_record(
        event_type=AuditEventType.BATCH_DRAW_FAILED,
        department=batch.department,
        target=batch,
        extra={"code": str(error.code), "details": lines[:200]},
    )
    return batch

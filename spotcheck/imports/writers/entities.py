"""Upsert validated entity rows chunk by chunk, with history rows and department links."""

import json
from dataclasses import dataclass

from django.utils import timezone

from spotcheck.directory.fingerprint import FINGERPRINT_FIELDS, entity_fingerprint
from spotcheck.directory.models import CreditClass, EntityStatus, MarketEntity

from ..bulk import bulk_insert, bulk_insert_ignoring_duplicates, bulk_update_by_id
from ..validators.entities import EntityRow

DEFAULTS = {
    "uscc": "", "registration_number": "", "name": "", "entity_type": "other",
    "industry_code": "", "region_code": "", "address": "", "status": EntityStatus.OPERATING.value,
    "credit_class": CreditClass.B.value, "abnormal_listed": False, "tags": [],
}  # fmt: skip
ENTITY_TABLE = MarketEntity._meta.db_table
HISTORY_TABLE = MarketEntity.history.model._meta.db_table
LINK_TABLE = MarketEntity.departments.through._meta.db_table
DATA_COLUMNS = list(FINGERPRINT_FIELDS)


@dataclass
class ChunkCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _db_row(values: dict) -> list:
    return [json.dumps(values[f], ensure_ascii=False) if f == "tags" else values[f]
            for f in DATA_COLUMNS]  # fmt: skip


def _others_supervised(entity_ids: list[int], department_id: int) -> set[int]:
    """Entities supervised by other departments only: a department import may link, not edit."""
    supervisors: dict[int, set[int]] = {}
    for entity_id, dept in MarketEntity.departments.through.objects.filter(
        marketentity_id__in=entity_ids
    ).values_list("marketentity_id", "department_id"):
        supervisors.setdefault(entity_id, set()).add(dept)
    return {e for e, depts in supervisors.items() if department_id not in depts}


def write_entity_chunk(
    rows: list[EntityRow], *, actor_id: int | None, reason: str, department_id: int | None
) -> ChunkCounts:
    """Insert new keys, update changed ones, leave identical ones alone. Caller holds the transaction."""
    existing = {
        row[1]: row
        for row in MarketEntity.objects.filter(key__in=[r.key for r in rows]).values_list(
            "id", "key", "fingerprint", *DATA_COLUMNS
        )
    }
    read_only = set()
    if department_id is not None and existing:
        read_only = _others_supervised([row[0] for row in existing.values()], department_id)
    now = timezone.now()
    counts = ChunkCounts()
    inserts, updates, history, ids_by_key = [], [], [], {}
    for row in rows:
        stored = existing.get(row.key)
        if stored is None:
            merged = DEFAULTS | row.values
            inserts.append((row.key, merged))
            continue
        ids_by_key[row.key] = stored[0]
        merged = dict(zip(DATA_COLUMNS, stored[3:], strict=True)) | row.values
        fingerprint = entity_fingerprint(merged)
        if fingerprint == stored[2] or stored[0] in read_only:
            counts.unchanged += 1
            continue
        updates.append([*_db_row(merged), fingerprint, now, stored[0]])
        history.append([stored[0], row.key, *_db_row(merged), now, reason, "~", actor_id])
        counts.updated += 1
    if inserts:
        bulk_insert(
            ENTITY_TABLE,
            ["key", *DATA_COLUMNS, "fingerprint", "updated_at"],
            ([key, *_db_row(m), entity_fingerprint(m), now] for key, m in inserts),
        )
        new_ids = dict(
            MarketEntity.objects.filter(key__in=[k for k, _ in inserts]).values_list("key", "id")
        )
        ids_by_key |= new_ids
        history.extend(
            [new_ids[key], key, *_db_row(m), now, reason, "+", actor_id] for key, m in inserts
        )
        counts.created = len(inserts)
    bulk_update_by_id(ENTITY_TABLE, [*DATA_COLUMNS, "fingerprint", "updated_at"], updates)
    history_columns = ["id", "key", *DATA_COLUMNS, "history_date", "history_change_reason",
                       "history_type", "history_user_id"]  # fmt: skip
    if history:
        bulk_insert(HISTORY_TABLE, history_columns, history)
    links = [(ids_by_key[r.key], d) for r in rows for d in r.departments]
    bulk_insert_ignoring_duplicates(LINK_TABLE, ["marketentity_id", "department_id"], links)
    return counts

"""Upsert validated entity rows chunk by chunk, with history rows and department links."""

import json
from dataclasses import dataclass
from operator import itemgetter

from django.utils import timezone

from spotcheck.directory.fingerprint import FINGERPRINT_FIELDS, entity_fingerprint
from spotcheck.directory.models import CreditClass, EntityStatus, MarketEntity

from ..bulk import (
    bulk_insert,
    bulk_insert_ignoring_duplicates,
    bulk_update_by_id,
    db_datetime,
    insert_select_by_key,
    keys_to_ids,
)
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
HISTORY_COLUMNS = ["id", "key", *DATA_COLUMNS, "history_date", "history_change_reason",
                   "history_type", "history_user_id"]  # fmt: skip
assert DATA_COLUMNS[-1] == "tags"  # _db_row encodes the last column as JSON
_UNTAGGED = itemgetter(*DATA_COLUMNS[:-1])


@dataclass
class ChunkCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _db_row(values: dict) -> list:
    """DATA_COLUMNS of a merged row, tags as JSON text (most rows have none: skip the encoder)."""
    tags = values["tags"]
    return [*_UNTAGGED(values), "[]" if tags == [] else json.dumps(tags, ensure_ascii=False)]


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
    present = keys_to_ids(ENTITY_TABLE, [r.key for r in rows])
    existing = {}
    if present:  # a first import finds none: skip the ORM query and its 5,000 parameters
        existing = {
            row[1]: row
            for row in MarketEntity.objects.filter(id__in=present.values()).values_list(
                "id", "key", "fingerprint", *DATA_COLUMNS
            )
        }
    read_only = set()
    if department_id is not None and existing:
        read_only = _others_supervised([row[0] for row in existing.values()], department_id)
    now = db_datetime(timezone.now())
    counts = ChunkCounts()
    inserts, updates, history, ids_by_key = [], [], [], {}
    for row in rows:
        stored = existing.get(row.key)
        if stored is None:
            inserts.append((row.key, DEFAULTS | row.values))
            continue
        ids_by_key[row.key] = stored[0]
        merged = dict(zip(DATA_COLUMNS, stored[3:], strict=True)) | row.values
        fingerprint = entity_fingerprint(merged)
        if fingerprint == stored[2] or stored[0] in read_only:
            counts.unchanged += 1
            continue
        data = _db_row(merged)
        updates.append([*data, fingerprint, now, stored[0]])
        history.append([stored[0], row.key, *data, now, reason, "~", actor_id])
        counts.updated += 1
    bulk_update_by_id(ENTITY_TABLE, [*DATA_COLUMNS, "fingerprint", "updated_at"], updates)
    if history:
        bulk_insert(HISTORY_TABLE, HISTORY_COLUMNS, history)
    if inserts:
        keys = [key for key, _ in inserts]
        bulk_insert(
            ENTITY_TABLE,
            ["key", *DATA_COLUMNS, "fingerprint", "updated_at"],
            ([key, *_db_row(m), entity_fingerprint(m), now] for key, m in inserts),
        )
        history_of_new = {"history_date": now, "history_change_reason": reason,
                          "history_type": "+", "history_user_id": actor_id}  # fmt: skip
        insert_select_by_key(HISTORY_TABLE, ENTITY_TABLE, ["id", "key", *DATA_COLUMNS],
                             history_of_new, keys)  # fmt: skip
        if any(r.departments for r in rows):  # new ids are only needed for the links
            ids_by_key |= keys_to_ids(ENTITY_TABLE, keys)
        counts.created = len(inserts)
    links = [(ids_by_key[r.key], d) for r in rows for d in r.departments]
    bulk_insert_ignoring_duplicates(LINK_TABLE, ["marketentity_id", "department_id"], links)
    return counts

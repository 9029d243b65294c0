"""The hash chain: hash = SHA-256(previous hash ‖ canonical JSON of the event)."""

import hashlib
import json
from datetime import UTC, datetime


def canonical_event_json(
    *,
    occurred_at: datetime,
    actor_id: int | None,
    department_id: int | None,
    event_type: int,
    target_type: str,
    target_id: str,
    extra: dict,
) -> bytes:
    body = {
        "actor": actor_id,
        "department": department_id,
        "event_type": int(event_type),
        "extra": extra,
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "target_id": str(target_id),
        "target_type": target_type,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(previous_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(previous_hash.encode("ascii") + canonical).hexdigest()


def event_hash(event, previous_hash: str) -> str:
    canonical = canonical_event_json(
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        department_id=event.department_id,
        event_type=event.event_type,
        target_type=event.target_type,
        target_id=event.target_id,
        extra=event.extra,
    )
    return chain_hash(previous_hash, canonical)

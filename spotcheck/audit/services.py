"""Writing and verifying the audit trail. Callers are inside their own transaction."""

import json
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .chain import event_hash
from .event_types import AuditEventType
from .models import GENESIS_HASH, AuditChainHead, AuditEvent, AuditHeadPublication


def _json_safe(extra: dict) -> dict:
    # Round-trip so the hashed form equals what the JSON column gives back.
    return json.loads(json.dumps(extra, ensure_ascii=False, default=str))


def audit_event_record(
    *,
    event_type: AuditEventType,
    actor=None,
    department=None,
    target=None,
    target_type: str = "",
    target_id: str = "",
    extra: dict | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_event_record must run inside the state change's transaction")
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
    head = _locked_head()
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        department=department,
        event_type=event_type,
        target_type=target_type,
        target_id=str(target_id),
        extra=_json_safe(extra or {}),
        previous_hash=head.last_hash,
    )
    event.hash = event_hash(event, head.last_hash)
    event.save()
    head.last_hash = event.hash
    head.last_event_id = event.pk
    head.save(update_fields=["last_hash", "last_event_id"])
    return event


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head, _ = AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    return head


@dataclass(frozen=True)
class ChainVerdict:
    checked: int
    first_broken_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def audit_head_publish(*, source: str, actor=None) -> AuditHeadPublication:
    """Publish the chain head on the portal; the head is this publication's own event."""
    with transaction.atomic():
        event = audit_event_record(
            event_type=AuditEventType.AUDIT_HEAD_PUBLISHED,
            actor=actor,
            target_type="audit.chain",
            extra={"source": source},
        )
        return AuditHeadPublication.objects.create(
            published_at=event.occurred_at,
            head_hash=event.hash,
            event_id=event.pk,
            source=source,
        )


def audit_chain_verify(*, against: str | None = None, batch_size: int = 5000) -> ChainVerdict:
    """Recompute every hash in order; name the first event that does not match.

    A forger with database access can rewrite an event and recompute every later hash, so an
    intact chain alone proves little: every head published on the portal (and `against`, a
    head someone kept) must still be an event of the chain, or the chain was rewritten.
    """
    previous = GENESIS_HASH
    checked = 0
    must_contain = set(AuditHeadPublication.objects.values_list("head_hash", flat=True))
    if against:
        must_contain.add(against.strip().lower())
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.previous_hash != previous:
            return ChainVerdict(
                checked, event.pk, "previous_hash does not link to the event before"
            )
        if event_hash(event, previous) != event.hash:
            return ChainVerdict(checked, event.pk, "content does not match its hash")
        previous = event.hash
        must_contain.discard(event.hash)
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != previous:
        return ChainVerdict(checked, head.last_event_id, "the newest events were removed")
    if must_contain:
        return ChainVerdict(
            checked,
            0,
            "the chain no longer contains the published head(s) "
            + ", ".join(sorted(must_contain))
            + ": it was rewritten",
        )
    return ChainVerdict(checked)


def audit_chain_head() -> AuditChainHead:
    """The newest hash and event id (genesis when nothing was recorded yet)."""
    return AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(pk=1)

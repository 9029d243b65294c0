"""The audit trail is a hash chain: any edit or removal of a stored event is detected."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.audit.services import audit_chain_verify, audit_event_record
from spotcheck.directory.services import entity_create


@pytest.fixture
def three_events(office_admin_wang):
    with transaction.atomic():
        for number in range(3):
            audit_event_record(
                event_type=AuditEventType.EXPORT_DOWNLOADED,
                actor=office_admin_wang,
                department=office_admin_wang.department,
                target_type="export",
                target_id=f"list-{number}",
                extra={"rows": number, "note": "导出"},
            )
    return list(AuditEvent.objects.order_by("id"))


def _as_superuser_without_triggers(cursor) -> None:
    # A forger with full database rights switches the append-only trigger off first.
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL session_replication_role = replica")


def _raw_update(event_id: int, column: str, value) -> None:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        _as_superuser_without_triggers(cursor)
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [value, event_id])


def test_each_event_links_to_the_one_before(three_events):
    assert three_events[0].previous_hash == "0" * 64
    for before, after in itertools.pairwise(three_events):
        assert after.previous_hash == before.hash
    verdict = audit_chain_verify()
    assert verdict.ok and verdict.checked == 3


def test_tampered_target_is_named(three_events, capsys):
    # when someone edits the middle event in the database
    _raw_update(three_events[1].pk, "target_id", "list-forged")
    # then verification names that event
    verdict = audit_chain_verify()
    assert verdict.first_broken_id == three_events[1].pk
    with pytest.raises(CommandError, match=f"broken at event {three_events[1].pk}"):
        call_command("audit", "verify")


def test_rewritten_hash_breaks_the_next_link(three_events):
    # a forger who also recomputes the edited event's hash still breaks the link after it
    _raw_update(three_events[0].pk, "hash", "f" * 64)
    assert audit_chain_verify().first_broken_id == three_events[0].pk


def test_removed_newest_event_is_detected(three_events):
    with connection.cursor() as cursor:
        _as_superuser_without_triggers(cursor)
        cursor.execute(
            f"DELETE FROM {AuditEvent._meta.db_table} WHERE id = %s", [three_events[-1].pk]
        )
    assert not audit_chain_verify().ok


def test_events_cannot_be_changed_through_the_orm(three_events):
    event = three_events[0]
    event.target_id = "changed"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.django_db(transaction=True)
def test_event_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside"):
        audit_event_record(event_type=AuditEventType.DEMO_LOADED, target_type="demo")


def test_services_write_their_event_in_the_same_transaction(office_admin_wang):
    # given a service that fails after auditing, nothing is left behind
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        entity_create(
            actor=office_admin_wang,
            values={
                "uscc": "91110000600037341L",
                "registration_number": "",
                "name": "甲",
                "entity_type": "enterprise",
            },
        )
        1 / 0  # noqa: B018
    assert not AuditEvent.objects.exists()
    call_command("audit", "verify")

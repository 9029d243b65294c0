"""The chain head is published, so a forger who rewrites the chain cannot hide it."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from spotcheck.audit.chain import event_hash
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditChainHead, AuditEvent, AuditHeadPublication
from spotcheck.audit.services import audit_chain_verify, audit_event_record, audit_head_publish
from spotcheck.audit.tasks import daily_publication_schedule, publish_audit_head_daily
from tests.queue import run_queued_tasks


def _record(actor, number: int) -> AuditEvent:
    with transaction.atomic():
        return audit_event_record(
            event_type=AuditEventType.EXPORT_DOWNLOADED,
            actor=actor,
            department=actor.department,
            target_type="export",
            target_id=f"list-{number}",
        )


def _rewrite_whole_chain_from(event: AuditEvent, new_target_id: str) -> None:
    """What a forger with database access does: edit one event, recompute every later hash."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            f"UPDATE {table} SET target_id = %s WHERE id = %s", [new_target_id, event.pk]
        )
        previous = AuditEvent.objects.get(pk=event.pk).previous_hash
        for later in AuditEvent.objects.filter(pk__gte=event.pk).order_by("id"):
            new_hash = event_hash(later, previous)
            cursor.execute(
                f"UPDATE {table} SET previous_hash = %s, hash = %s WHERE id = %s",
                [previous, new_hash, later.pk],
            )
            previous = new_hash
        AuditChainHead.objects.filter(pk=1).update(last_hash=previous)
        AuditHeadPublication.objects.all().delete()


def test_head_command_prints_the_newest_hash(office_admin_wang, capsys):
    event = _record(office_admin_wang, 1)
    call_command("audit", "head")
    assert capsys.readouterr().out.split()[0] == event.hash


def test_a_rewritten_chain_fails_against_a_kept_head(office_admin_wang, capsys):
    # given a citizen who kept the head published after three events
    first = _record(office_admin_wang, 1)
    _record(office_admin_wang, 2)
    kept = audit_head_publish(source=AuditHeadPublication.Source.DAILY).head_hash
    call_command("audit", "verify", "--against", kept)
    assert "intact" in capsys.readouterr().out
    # when a forger edits the first event, recomputes every hash and the head, and removes the
    # publication row from the database
    _rewrite_whole_chain_from(first, "list-forged")
    # then the chain alone still looks intact, but not against the head the citizen kept
    assert audit_chain_verify().ok
    with pytest.raises(CommandError, match=f"no longer contains the published head.*{kept}"):
        call_command("audit", "verify", "--against", kept)


def test_verify_checks_every_published_head_still_stored(office_admin_wang):
    first = _record(office_admin_wang, 1)
    audit_head_publish(source=AuditHeadPublication.Source.DAILY)
    _rewrite_whole_chain_from(first, "list-forged")
    # the forger left a publication made before the rewrite in place this time
    AuditHeadPublication.objects.create(
        published_at=timezone.now(), head_hash="a" * 64, event_id=1, source="daily"
    )
    verdict = audit_chain_verify()
    assert not verdict.ok and "a" * 64 in verdict.reason


def test_unknown_hash_fails(office_admin_wang):
    _record(office_admin_wang, 1)
    with pytest.raises(CommandError, match="no longer contains"):
        call_command("audit", "verify", "--against", "b" * 64)


def test_publication_is_its_own_audit_event(office_admin_wang):
    _record(office_admin_wang, 1)
    publication = audit_head_publish(source=AuditHeadPublication.Source.OFFICE)
    event = AuditEvent.objects.get(pk=publication.event_id)
    assert event.event_type == AuditEventType.AUDIT_HEAD_PUBLISHED
    assert publication.head_hash == event.hash == AuditChainHead.objects.get().last_hash


def test_office_publishes_on_demand_and_anyone_sees_it(office_admin_wang, client_for, client):
    # when the office admin presses "publish now"
    response = client_for(office_admin_wang).post(reverse("audit:head_publish"), follow=True)
    publication = AuditHeadPublication.objects.get()
    assert publication.source == "office"
    assert "已公布审计链头" in response.content.decode()
    event = AuditEvent.objects.get(pk=publication.event_id)
    assert event.actor == office_admin_wang
    # then an anonymous visitor reads the head and its time on the portal
    page = client.get(reverse("public:audit_heads")).content.decode()
    assert publication.head_hash in page
    assert timezone.localtime(publication.published_at).strftime("%Y-%m-%d %H:%M") in page


def test_only_the_office_publishes(liaison_zhao, inspector_zhang, client_for, client):
    for user in (liaison_zhao, inspector_zhang):
        assert client_for(user).post(reverse("audit:head_publish")).status_code == 403
        assert client_for(user).get(reverse("audit:head_list")).status_code == 403
    assert client.post(reverse("audit:head_publish")).status_code in (302, 403)
    assert not AuditHeadPublication.objects.exists()


def test_daily_job_publishes_and_queues_the_next_day(office_admin_wang):
    _record(office_admin_wang, 1)
    publish_audit_head_daily.enqueue()
    run_queued_tasks()
    publication = AuditHeadPublication.objects.get()
    assert publication.source == "daily"
    waiting = DBTaskResult.objects.filter(
        status="READY", task_path=publish_audit_head_daily.module_path
    )
    assert waiting.count() == 1
    assert waiting.get().run_after > timezone.now()
    # scheduling again does not queue a second daily job
    daily_publication_schedule()
    assert waiting.count() == 1


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_of_events(office_admin_wang):
    event = _record(office_admin_wang, 1)
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    for statement in (
        f"UPDATE {table} SET target_id = 'forged' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).target_id == "list-1"

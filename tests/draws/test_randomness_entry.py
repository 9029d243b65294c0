"""Public randomness is entered only from its announced time on, with the witnesses' names and
the time of entry on record (draw-spec §7)."""

from datetime import timedelta

import pytest
import time_machine

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.draws.models import BatchStatus
from tests.draw_fixtures import ceremony_time, commit_joint_check


@pytest.fixture
def committed(approved_joint_check, liaison_zhao, draws_root):
    return commit_joint_check(approved_joint_check, liaison_zhao)


def _enter(client, batch, **data):
    return client.post(
        f"/draws/{batch.pk}/draw/", {"randomness": "6 2 5 1 3 4 4 6", **data}, follow=True
    )


def test_randomness_two_minutes_early_is_refused_and_nothing_is_recorded(
    client_for, liaison_zhao, committed
):
    # Given a batch whose randomness is announced for 10:00
    client = client_for(liaison_zhao)
    # When the liaison enters it at 09:58
    with time_machine.travel(ceremony_time() - timedelta(minutes=2), tick=False):
        page = client.get(f"/draws/{committed.pk}/").content.decode()
        response = _enter(client, committed, witnesses="张三、李四")
    # Then the page said so beforehand, the entry is refused, and the batch still waits
    assert 'id="randomness-not-yet"' in page
    assert "公开随机数须在公布的时间 2026-11-30 10:00 之后录入" in response.content.decode()
    committed.refresh_from_db()
    assert committed.status == BatchStatus.COMMITTED
    assert committed.randomness_value == ""
    assert not AuditEvent.objects.filter(event_type=AuditEventType.RANDOMNESS_ENTERED).exists()


def test_randomness_without_witnesses_is_refused(client_for, liaison_zhao, committed):
    response = _enter(client_for(liaison_zhao), committed, witnesses="  ")
    assert "请填写公开随机数和在场见证人的姓名" in response.content.decode()
    committed.refresh_from_db()
    assert committed.status == BatchStatus.COMMITTED


def test_randomness_on_time_records_witnesses_and_time_of_entry(
    client_for, liaison_zhao, committed, django_capture_on_commit_callbacks
):
    entered = ceremony_time() + timedelta(seconds=30)
    with time_machine.travel(entered, tick=False), django_capture_on_commit_callbacks():
        response = _enter(client_for(liaison_zhao), committed, witnesses="张三、李四")
    committed.refresh_from_db()
    assert committed.status == BatchStatus.DRAWING
    assert committed.witnesses == "张三、李四"
    assert committed.randomness_entered_at == entered
    page = response.content.decode()
    assert "见证人：张三、李四" in page
    assert 'id="randomness-entered-at">2026-11-30 10:00:30<' in page
    event = AuditEvent.objects.get(event_type=AuditEventType.RANDOMNESS_ENTERED)
    assert event.extra["witnesses"] == "张三、李四"

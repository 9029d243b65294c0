"""The ceremony through the web: who may commit and draw, what each department sees, and
what the public can download and check."""

import pytest

from spotcheck.draws.models import BatchStatus, DrawBatch, Visit
from tests.factories import DepartmentFactory, UserFactory
from tests.queue import run_queued_tasks


@pytest.fixture
def batch(client_for, liaison_zhao, approved_joint_check, draws_root):
    response = client_for(liaison_zhao).post(
        "/draws/",
        {
            "name": "餐饮住宿联合抽查",
            "joint_check": approved_joint_check.pk,
            "randomness_source": "两名见证人掷骰子8次",
            "randomness_due": "2026-11-30T10:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return DrawBatch.objects.get()


def _commit_and_draw(client, batch, capture):
    client.post(f"/draws/{batch.pk}/commit/")
    with capture(execute=True):
        client.post(
            f"/draws/{batch.pk}/draw/", {"randomness": "6 2 5 1 3 4 4 6", "witnesses": "张三"}
        )
    run_queued_tasks()
    batch.refresh_from_db()
    return batch


def test_lead_commits_and_draws_and_sees_visits_saved(
    client_for, liaison_zhao, batch, django_capture_on_commit_callbacks
):
    client = client_for(liaison_zhao)
    batch = _commit_and_draw(client, batch, django_capture_on_commit_callbacks)
    assert batch.status == BatchStatus.DRAWN
    page = client.get(f"/draws/{batch.pk}/").content.decode()
    assert f'id="visits-saved">{batch.visits_saved}<' in page
    assert batch.randomness_value == "6 2 5 1 3 4 4 6"


def test_partner_cannot_commit_or_draw(client_for, liaison_sun, batch):
    client = client_for(liaison_sun)
    client.post(f"/draws/{batch.pk}/commit/")
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT


def test_partner_sees_only_visits_with_its_items(
    client_for, liaison_zhao, liaison_sun, batch, django_capture_on_commit_callbacks
):
    batch = _commit_and_draw(client_for(liaison_zhao), batch, django_capture_on_commit_callbacks)
    market_only = Visit.objects.filter(batch=batch).exclude(tasks__department__code="WJW").first()
    joint = Visit.objects.filter(batch=batch, tasks__department__code="WJW").first()
    partner = client_for(liaison_sun)
    assert partner.get(f"/draws/visits/{joint.pk}/").status_code == 200
    if market_only is not None:
        assert partner.get(f"/draws/visits/{market_only.pk}/").status_code == 404


def test_outsider_sees_nothing_of_the_batch(client_for, batch):
    outsider = UserFactory(
        username="liaison_qian", role="department_admin", department=DepartmentFactory(code="STHJJ")
    )
    assert client_for(outsider).get(f"/draws/{batch.pk}/").status_code == 404


def test_public_sees_commitments_before_the_draw(client, client_for, liaison_zhao, batch):
    assert client.get(f"/public/draws/{batch.number}/").status_code == 404  # a draft is private
    client_for(liaison_zhao).post(f"/draws/{batch.pk}/commit/")
    batch.refresh_from_db()
    page = client.get(f"/public/draws/{batch.number}/").content.decode()
    assert batch.population_root in page and "两名见证人掷骰子8次" in page

"""The demo district's five-department joint check, drawn through the UI and through the API."""

import pytest
from django.test import Client

from spotcheck.accounts.models import User
from spotcheck.accounts.tokens import api_token_create
from spotcheck.demo.loader import demo_load
from spotcheck.draws.models import BatchStatus, DrawBatch
from spotcheck.plans.models import JointCheck, JointCheckStatus
from tests.queue import run_queued_tasks

BATCH = {
    "name": "餐饮服务单位联合抽查 第一批",
    "randomness_source": "两名见证人掷骰子8次",
    "randomness_due": "2026-11-30T10:00",
}


@pytest.fixture
def demo_district(db):
    demo_load(entities=4000, seed=7)
    # the ready one; last year's is drawn and done
    joint = JointCheck.objects.get(status=JointCheckStatus.APPROVED)
    assert joint.tasks.count() == 5
    assert {t.design_mode for t in joint.tasks.all()} == {"poisson"}
    assert all(set(t.design_values) == {"A", "B", "C", "D"} for t in joint.tasks.all())
    return joint


def test_demo_joint_check_drawn_through_the_ui(demo_district, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(User.objects.get(username="liaison_zhao"))
    client.post("/draws/", BATCH | {"joint_check": demo_district.pk})
    batch = DrawBatch.objects.get(joint_check=demo_district)
    client.post(f"/draws/{batch.pk}/commit/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/draws/{batch.pk}/draw/", {"randomness": "6 2 5 1 3 4 4 6", "witnesses": "张三"}
        )
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAWN, batch.failure
    page = client.get(f"/draws/{batch.pk}/").content.decode()
    assert f'id="visits-saved">{batch.visits_saved}<' in page
    assert batch.visits_saved > 0
    assert len({c["task"] for c in batch.record["counts"]}) == 5


def test_demo_joint_check_drawn_through_the_api(demo_district, django_capture_on_commit_callbacks):
    token = api_token_create(user=User.objects.get(username="liaison_zhao"), label="test")
    api = Client(headers={"Authorization": f"Bearer {token}"})
    created = api.post(
        "/api/batches",
        BATCH | {"joint_check_id": demo_district.pk, "randomness_due": "2026-11-30T10:00:00+08:00"},
        content_type="application/json",
    ).json()
    api.post(f"/api/batches/{created['id']}/commit")
    with django_capture_on_commit_callbacks(execute=True):
        api.post(
            f"/api/batches/{created['id']}/draw",
            {"randomness": "3421.57", "witnesses": "张三、李四"},
            content_type="application/json",
        )
    run_queued_tasks()
    drawn = api.get(f"/api/batches/{created['id']}").json()
    assert drawn["status"] == "drawn", drawn["failure"]
    assert drawn["visits_saved"] == drawn["selections"] - drawn["visits"] > 0
    visits = api.get(f"/api/batches/{created['id']}/visits").json()["items"]
    assert max(len(v["departments"]) for v in visits) >= 3  # one visit, several departments

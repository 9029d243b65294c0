"""The draw through the API with a bearer token; scoped like the UI."""

import pytest
from django.test import Client

from spotcheck.accounts.tokens import api_token_create
from tests.queue import run_queued_tasks


def _client(user) -> Client:
    token = api_token_create(user=user, label="test")
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def lead_api(liaison_zhao):
    return _client(liaison_zhao)


def test_without_a_token_the_api_refuses(client, db):
    assert client.get("/api/batches/1").status_code == 401
    assert client.get("/api/entities", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_openapi_lists_the_draw_endpoints(lead_api):
    paths = lead_api.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/batches",
        "/api/batches/{batch_id}/commit",
        "/api/batches/{batch_id}/draw",
        "/api/batches/{batch_id}/visits",
        "/api/tasks",
        "/api/joint-checks",
    ):
        assert path in paths, path


def test_joint_check_drawn_through_the_api(
    lead_api,
    approved_joint_check,
    django_capture_on_commit_callbacks,
):
    created = lead_api.post(
        "/api/batches",
        {
            "name": "API 联合抽查",
            "joint_check_id": approved_joint_check.pk,
            "randomness_source": "上证指数收盘点位",
            "randomness_due": "2026-11-30T15:00:00+08:00",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    batch_id = created.json()["id"]
    committed = lead_api.post(f"/api/batches/{batch_id}/commit").json()
    assert committed["status"] == "committed" and len(committed["population_root"]) == 64
    with django_capture_on_commit_callbacks(execute=True):
        drawing = lead_api.post(
            f"/api/batches/{batch_id}/draw",
            {"randomness": "3421.57", "witnesses": "张三、李四"},
            content_type="application/json",
        )
    assert drawing.status_code == 202 and drawing.json()["status"] == "drawing"
    run_queued_tasks()
    drawn = lead_api.get(f"/api/batches/{batch_id}").json()
    assert drawn["status"] == "drawn"
    assert drawn["visits_saved"] == drawn["selections"] - drawn["visits"] > 0
    visits = lead_api.get(f"/api/batches/{batch_id}/visits", {"limit": 200}).json()
    assert len(visits["items"]) == drawn["visits"] and visits["next_cursor"] is None
    joint_visit = next(v for v in visits["items"] if len(v["departments"]) == 2)
    assert {m["department"] for m in joint_visit["team"]} == {"SCJGJ", "WJW"}
    # a second draw is refused with a clear reason
    again = lead_api.post(
        f"/api/batches/{batch_id}/draw", {"randomness": "1"}, content_type="application/json"
    )
    assert again.status_code == 422 and again.json()["code"] == "wrong_state"


def test_other_departments_get_404(liaison_sun, approved_joint_check, lead_api, db):
    from tests.factories import DepartmentFactory, UserFactory

    created = lead_api.post(
        "/api/batches",
        {
            "name": "x",
            "joint_check_id": approved_joint_check.pk,
            "randomness_source": "骰子",
            "randomness_due": "2026-11-30T15:00:00+08:00",
        },
        content_type="application/json",
    ).json()
    outsider = UserFactory(
        username="liaison_qian", role="department_admin", department=DepartmentFactory(code="STHJJ")
    )
    api = _client(outsider)
    assert api.get(f"/api/batches/{created['id']}").status_code == 404
    assert api.post(f"/api/batches/{created['id']}/commit").status_code == 404
    assert api.get(f"/api/joint-checks/{approved_joint_check.pk}").status_code == 404

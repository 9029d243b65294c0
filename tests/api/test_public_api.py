"""/api/public/…: anonymous, read-only, paginated, in the OpenAPI schema, rate-limited, and
carrying only what the portal shows."""

import json

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from spotcheck.api.public import router
from spotcheck.plans.selectors import published_plans
from spotcheck.publication.services.publishing import task_publish
from tests.publication.helpers import approve, complete_visit, record_for


@pytest.fixture(autouse=True)
def fresh_throttle():
    cache.clear()


@pytest.fixture
def published(joint_visit, reviewer_li, liaison_zhao):
    complete_visit(joint_visit, "2026-02-06")
    approve(joint_visit, "SCJGJ", reviewer_li)
    task = joint_visit.tasks.get(department__code="SCJGJ")
    with time_machine.travel("2026-03-02 10:00 +0800"):
        task_publish(actor=liaison_zhao, task=task)
    for visit in task.visits.exclude(pk=joint_visit.pk).order_by("visit_id")[:3]:
        record_for(visit, task, liaison_zhao, published_on="2025-06-01", codes=("corrected",))
    return joint_visit


def test_anonymous_results_by_uscc_carry_the_published_layout_only(published):
    response = Client().get("/api/public/results", {"q": published.entity.uscc})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (record,) = body["items"]
    assert record["entity_name"] == published.entity.name
    assert record["department"] == "东城区市场监督管理局"
    assert record["items"] == [{"item": "餐饮服务提供者监督检查", "results": ["未发现问题"]}]
    assert record["on_time"] is True and record["corrected_at"] is None
    # exactly the fields of a published result record: no class, note or inspector can ride along
    assert set(record) == {
        "record_id", "plan_number", "plan_name", "task_number", "task_name", "directed",
        "department", "entity_name", "uscc", "completed_on", "published_on", "on_time",
        "corrected_at", "items",
    }  # fmt: skip
    text = json.dumps(body, ensure_ascii=False)
    assert "内部记录" not in text
    for member in published.team.select_related("inspector"):
        assert member.inspector.name not in text


def test_results_are_paginated_and_filtered(published):
    body = Client().get("/api/public/results", {"page_size": 2}).json()
    assert (body["count"], len(body["items"])) == (4, 2)
    body = Client().get("/api/public/results", {"category": "corrected", "page": 2, "page_size": 2})
    assert [r["items"][0]["results"] for r in body.json()["items"]] == [["发现问题已责令改正"]]


def test_plans_and_items_are_public_too(published):
    items = Client().get("/api/public/items", {"department": "SCJGJ"}).json()
    assert [i["name"] for i in items["items"]] == ["餐饮服务提供者监督检查"]
    plans = Client().get("/api/public/plans").json()
    assert plans["count"] == published_plans().count()
    assert all(plan["number"] and plan["name"] for plan in plans["items"])


def test_the_public_api_is_in_the_openapi_schema_and_read_only(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in ("/api/public/results", "/api/public/plans", "/api/public/items"):
        assert set(paths[path]) == {"get"}, path
        assert "security" not in paths[path]["get"]
    assert Client().post("/api/public/results").status_code == 405


def test_too_many_requests_from_one_address_are_refused(db, monkeypatch):
    throttle = router.throttle[0]
    monkeypatch.setattr(throttle, "num_requests", 3)
    client = Client(REMOTE_ADDR="203.0.113.7")
    responses = [client.get("/api/public/items") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[-1].json() == {"code": "throttled", "messages": ["请求过于频繁，请稍后再试"]}
    assert Client(REMOTE_ADDR="203.0.113.8").get("/api/public/items").status_code == 200


def test_a_page_number_past_any_list_is_refused_not_a_server_error(client, db):
    # before: ?page=636649316615683968 overflowed the database's OFFSET and answered 500
    for url in ("/api/public/draws", "/api/public/plans", "/api/public/results"):
        response = client.get(url, {"page": "636649316615683968"})
        assert response.status_code == 422, url
        assert response.json()["code"]
    assert client.get("/api/public/plans", {"page": 1000}).json()["items"] == []

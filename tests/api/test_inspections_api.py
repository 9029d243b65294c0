"""Visits, results, reviews and follow-ups through the API with bearer tokens; scoped like the
pages (another department's rows are missing, never forbidden)."""

import pytest
from django.test import Client

from spotcheck.accounts.tokens import api_token_create
from spotcheck.inspections.models import FollowUp, ItemResult
from tests.draw_fixtures import team_member
from tests.factories import DepartmentFactory, UserFactory


def _client(user) -> Client:
    token = api_token_create(user=user, label="test")
    return Client(headers={"Authorization": f"Bearer {token}"})


def _post(client, url, payload=None):
    return client.post(url, payload or {}, content_type="application/json")


@pytest.fixture
def market_inspector(joint_visit):
    return _client(team_member(joint_visit, "SCJGJ").inspector.user)


@pytest.fixture
def health_inspector(joint_visit):
    return _client(team_member(joint_visit, "WJW").inspector.user)


@pytest.fixture
def started_visit(joint_visit, market_inspector):
    response = _post(market_inspector, f"/api/inspections/visits/{joint_visit.pk}/arrive")
    assert response.status_code == 200, response.content
    return joint_visit


def _market_result(visit) -> ItemResult:
    return ItemResult.objects.get(visit=visit, department__code="SCJGJ")


def _approved_follow_up(visit, result, inspector, reviewer) -> FollowUp:
    """Enter ``result`` as needing follow-up, submit it and have ``reviewer`` approve it."""
    team = list(visit.team.values_list("pk", flat=True))
    url = f"/api/inspections/results/{result.pk}"
    _post(
        inspector,
        url,
        {"categories": ["follow_up"], "finding": "后厨地面积水", "confirmations": team},
    )
    _post(inspector, f"{url}/submit")
    _post(_client(reviewer), f"{url}/review", {"decision": "approve"})
    return FollowUp.objects.get()


def test_openapi_lists_the_inspection_endpoints(liaison_zhao):
    paths = _client(liaison_zhao).get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/inspections/visits",
        "/api/inspections/visits/{visit_pk}",
        "/api/inspections/results/{result_pk}",
        "/api/inspections/results/{result_pk}/submit",
        "/api/inspections/results/{result_pk}/review",
        "/api/inspections/follow-ups",
        "/api/inspections/follow-ups/{follow_up_pk}",
        "/api/inspections/follow-ups/{follow_up_pk}/kind",
        "/api/inspections/follow-ups/{follow_up_pk}/close",
    ):
        assert path in paths, path
    review = paths["/api/inspections/results/{result_pk}/review"]["post"]["responses"]
    assert {"200", "403", "404", "422"} <= set(review)


def test_an_inspector_lists_own_visits_and_sees_only_own_results(
    started_visit, market_inspector, health_inspector
):
    listed = market_inspector.get("/api/inspections/visits").json()
    assert started_visit.pk in [v["id"] for v in listed["items"]]
    market = market_inspector.get(f"/api/inspections/visits/{started_visit.pk}").json()
    assert market["departments"] == ["SCJGJ", "WJW"]
    assert {m["department"] for m in market["team"]} == {"SCJGJ", "WJW"}
    assert [r["department"] for r in market["results"]] == ["SCJGJ"]
    health = health_inspector.get(f"/api/inspections/visits/{started_visit.pk}").json()
    assert [r["department"] for r in health["results"]] == ["WJW"]


def test_enter_submit_review_open_and_close_a_follow_up(
    started_visit, market_inspector, reviewer_li, liaison_zhao
):
    result = _market_result(started_visit)
    detail = market_inspector.get(f"/api/inspections/visits/{started_visit.pk}").json()
    team = [m["id"] for m in detail["team"]]
    # enter and submit
    entered = _post(
        market_inspector,
        f"/api/inspections/results/{result.pk}",
        {"categories": ["follow_up"], "finding": "冷藏温度超标", "confirmations": team},
    )
    assert entered.status_code == 200, entered.content
    assert entered.json()["status"] == "entered" and entered.json()["categories"] == ["follow_up"]
    submitted = _post(market_inspector, f"/api/inspections/results/{result.pk}/submit")
    assert submitted.json()["status"] == "submitted"
    # a return needs a note; approval opens the follow-up
    reviewer = _client(reviewer_li)
    refused = _post(
        reviewer, f"/api/inspections/results/{result.pk}/review", {"decision": "return"}
    )
    assert refused.status_code == 422
    assert refused.json() == {"code": "reason_required", "messages": ["退回或不予采纳须填写原因"]}
    approved = _post(
        reviewer, f"/api/inspections/results/{result.pk}/review", {"decision": "approve"}
    )
    assert approved.json()["status"] == "approved"
    liaison = _client(liaison_zhao)
    (follow_up,) = liaison.get("/api/inspections/follow-ups").json()["items"]
    assert follow_up["kind"] == "undecided" and follow_up["result"] == result.pk
    # set the measure, then close only with a result
    url = f"/api/inspections/follow-ups/{follow_up['id']}"
    kind = _post(liaison, f"{url}/kind", {"kind": "rectification", "deadline": "2027-01-15"})
    assert kind.status_code == 200 and kind.json()["deadline"] == "2027-01-15"
    empty = _post(liaison, f"{url}/close", {"closing_result": ""})
    assert empty.status_code == 422 and empty.json()["code"] == "result_required"
    closed = _post(liaison, f"{url}/close", {"closing_result": "复查已整改"})
    assert closed.status_code == 200 and closed.json()["closed_at"] is not None
    assert liaison.get("/api/inspections/follow-ups").json()["items"] == []
    assert len(liaison.get("/api/inspections/follow-ups?state=closed").json()["items"]) == 1


def test_unknown_or_foreign_categories_are_refused(started_visit, market_inspector):
    result = _market_result(started_visit)
    response = _post(
        market_inspector, f"/api/inspections/results/{result.pk}", {"categories": ["nope"]}
    )
    assert response.status_code == 422 and response.json()["code"] == "category_not_allowed"


def test_another_department_gets_404(
    started_visit, health_inspector, reviewer_li, liaison_sun, market_inspector
):
    result = _market_result(started_visit)
    # a health inspector on the same visit cannot reach the market department's result
    assert _post(health_inspector, f"/api/inspections/results/{result.pk}/submit").status_code == (
        404
    )
    # nor can the health department reach the market department's follow-up
    follow_up = _approved_follow_up(started_visit, result, market_inspector, reviewer_li)
    sun = _client(liaison_sun)
    assert sun.get(f"/api/inspections/follow-ups/{follow_up.pk}").status_code == 404
    assert (
        _post(sun, f"/api/inspections/follow-ups/{follow_up.pk}/close", {"closing_result": "x"})
    ).status_code == 404
    # a department with no part in the visit does not see it at all
    outsider = UserFactory(
        username="liaison_qian",
        role="department_admin",
        department=DepartmentFactory(code="ZJW", name="东城区住房和城市建设委员会"),
    )
    assert _client(outsider).get(f"/api/inspections/visits/{started_visit.pk}").status_code == 404


def test_nobody_reviews_a_check_they_made(started_visit, market_inspector):
    result = _market_result(started_visit)
    response = _post(
        market_inspector, f"/api/inspections/results/{result.pk}/review", {"decision": "approve"}
    )
    assert response.status_code == 422
    assert response.json() == {
        "code": "reviewer_on_team",
        "messages": ["审核人不能是本次检查的执法人员"],
    }


def test_transfer_through_the_api_shows_it_to_the_receiving_department(
    started_visit, market_inspector, reviewer_li, liaison_zhao, liaison_sun
):
    result = _market_result(started_visit)
    follow_up = _approved_follow_up(started_visit, result, market_inspector, reviewer_li)
    moved = _post(
        _client(liaison_zhao),
        f"/api/inspections/follow-ups/{follow_up.pk}/kind",
        {"kind": "transfer_department", "transferred_to": "WJW"},
    )
    assert moved.status_code == 200 and moved.json()["transferred_to"] == "WJW"
    seen = _client(liaison_sun).get(f"/api/inspections/follow-ups/{follow_up.pk}")
    assert seen.status_code == 200 and seen.json()["department"] == "SCJGJ"

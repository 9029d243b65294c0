"""What the pages do, through the API: directories, items, plans, batches and their kit, leads
and evidence; lists paged by cursor; scoping identical to the pages."""

import io
import zipfile

import pytest
from django.test import Client

from spotcheck.accounts.tokens import api_token_create
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.inspections.models import Evidence, ItemResult
from spotcheck.plans.services import plan_create
from tests.draw_fixtures import team_member
from tests.factories import EntityFactory, make_item
from tests.security.samples import PNG


def _client(user) -> Client:
    token = api_token_create(user=user, label="test")
    return Client(headers={"Authorization": f"Bearer {token}"})


def _all_pages(client, url) -> list[dict]:
    items, cursor = [], None
    while True:
        params = {"limit": 5} | ({"cursor": cursor} if cursor else {})
        page = client.get(url, params).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return items


def test_inspectors_are_paged_by_cursor_and_scoped_to_the_department(
    district, liaison_zhao, liaison_sun, office_admin_wang
):
    # given 6 inspectors in each of two departments
    market = _all_pages(_client(liaison_zhao), "/api/inspectors")
    # then the market liaison pages through exactly its own six, each once
    assert len(market) == len({i["id"] for i in market}) == 6
    assert {i["department"] for i in market} == {"SCJGJ"}
    assert len(_all_pages(_client(office_admin_wang), "/api/inspectors")) == 12
    # and another department's inspector is missing, not forbidden
    assert _client(liaison_sun).get(f"/api/inspectors/{market[0]['id']}").status_code == 404
    conflicts = _client(liaison_zhao).get(f"/api/inspectors/{market[0]['id']}/conflicts")
    assert conflicts.status_code == 200 and conflicts.json() == []


def test_items_plans_and_tasks_are_the_departments_own(market_dept, liaison_zhao, liaison_sun):
    item = make_item(market_dept, code="SC-009", name="食品销售者监督检查")
    plan = plan_create(actor=liaison_zhao, department=market_dept, year=2026, name="年度计划")
    market, health = _client(liaison_zhao), _client(liaison_sun)
    (listed,) = market.get("/api/items").json()["items"]
    assert listed["code"] == "SC-009" and listed["version_id"] == item.current_version_id
    assert health.get("/api/items").json()["items"] == []
    assert health.get(f"/api/items/{item.pk}").status_code == 404
    assert market.get(f"/api/plans/{plan.pk}").json()["number"] == plan.number
    assert health.get(f"/api/plans/{plan.pk}").status_code == 404
    assert market.get("/api/joint-items").status_code == 200


def _kit_files(response) -> str:
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    return " ".join(zipfile.ZipFile(io.BytesIO(response.content)).namelist())


def test_batches_are_listed_and_their_kit_downloaded(
    drawn_batch, liaison_zhao, office_admin_wang, db
):
    client = _client(liaison_zhao)
    (batch,) = client.get("/api/batches").json()["items"]
    assert batch["number"] == drawn_batch.number and batch["status"] == "drawn"
    # the department gets the public kit, with its verifier; the full kit is for the office
    assert "verify_public.py" in _kit_files(client.get(f"/api/batches/{drawn_batch.pk}/kit"))
    assert client.get(f"/api/batches/{drawn_batch.pk}/kit?full=true").status_code == 403
    full = _client(office_admin_wang).get(f"/api/batches/{drawn_batch.pk}/kit?full=true")
    assert "verify.py" in _kit_files(full).replace("verify_public.py", "")
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.FULL_KIT_DOWNLOADED, actor=office_admin_wang
    ).exists()


def test_a_lead_is_registered_and_seen_only_by_its_department(
    market_dept, liaison_zhao, liaison_sun, inspector_zhang
):
    entity = EntityFactory(departments=[market_dept])
    # given an inspector of the department registering a complaint
    created = _client(inspector_zhang).post(
        "/api/leads",
        {"entity_key": entity.key.lower(), "source": "complaint", "description": "投诉过期食品"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    lead = created.json()
    assert lead["status"] == "registered" and lead["department"] == "SCJGJ"
    assert [x["id"] for x in _client(liaison_zhao).get("/api/leads").json()["items"]] == [
        lead["id"]
    ]
    # then the other department neither sees it nor can register on an entity it cannot see
    health = _client(liaison_sun)
    assert health.get(f"/api/leads/{lead['id']}").status_code == 404
    refused = health.post(
        "/api/leads",
        {"entity_key": entity.key, "source": "complaint", "description": "投诉"},
        content_type="application/json",
    )
    assert refused.status_code == 404


def test_evidence_is_uploaded_to_a_result_being_entered(joint_visit):
    member = team_member(joint_visit, "SCJGJ")
    client = _client(member.inspector.user)
    client.post(f"/api/inspections/visits/{joint_visit.pk}/arrive")
    result = ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")
    response = client.post(
        f"/api/inspections/results/{result.pk}/evidence",
        {"file": io.BytesIO(PNG)},
    )
    assert response.status_code == 201, response.content
    assert response.json()["content_type"] == "image/png"
    assert Evidence.objects.filter(result=result).count() == 1
    # a text file named .png is refused with the page's message, nothing stored
    fake = io.BytesIO("不是图片".encode() * 10)
    fake.name = "照片.png"
    refused = client.post(f"/api/inspections/results/{result.pk}/evidence", {"file": fake})
    assert refused.status_code == 422 and refused.json()["messages"]
    assert Evidence.objects.filter(result=result).count() == 1


@pytest.mark.parametrize("cursor", ["0", "abc", str(2**63)])
def test_a_bad_cursor_is_a_422(liaison_zhao, cursor):  # a cursor is the last id of a page
    assert _client(liaison_zhao).get("/api/batches", {"cursor": cursor}).status_code == 422


def test_entities_are_paged_by_cursor_each_exactly_once(district, liaison_zhao):
    # given 60 entities; when paged 5 at a time; then each comes once, in a stable order
    keys = [e["key"] for e in _all_pages(_client(liaison_zhao), "/api/entities")]
    assert sorted(keys) == sorted(e.key for e in district) and len(set(keys)) == 60


def test_joint_checks_are_listed_for_lead_and_partner_only(
    approved_joint_check, liaison_zhao, liaison_sun
):
    from spotcheck.accounts.models import Role
    from tests.factories import DepartmentFactory, UserFactory

    for user in (liaison_zhao, liaison_sun):
        (joint,) = _client(user).get("/api/joint-checks").json()["items"]
        assert joint["id"] == approved_joint_check.pk and joint["partners"] == ["WJW"]
    outsider = UserFactory(role=Role.DEPARTMENT_ADMIN, department=DepartmentFactory(code="JYJ"))
    assert _client(outsider).get("/api/joint-checks").json() == {"items": [], "next_cursor": None}


def test_a_plan_is_created_and_moved_by_the_rules_of_its_page(
    market_dept, liaison_zhao, reviewer_li, liaison_sun
):
    author, reviewer = _client(liaison_zhao), _client(reviewer_li)
    created = author.post(
        "/api/plans", {"year": 2027, "name": "2027年度抽查计划"}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    url = f"/api/plans/{created.json()['id']}/move"

    def move(client, action, reason=""):
        return client.post(
            url, {"action": action, "reason": reason}, content_type="application/json"
        )

    # the author may not approve; another department does not even see the plan
    assert move(author, "submit").json()["status"] == "submitted"
    assert move(author, "approve").status_code == 403
    assert move(_client(liaison_sun), "approve").status_code == 404
    assert move(reviewer, "approve").json()["status"] == "approved"


def test_a_joint_check_is_created_with_partners_by_code(health_dept, liaison_zhao):
    client = _client(liaison_zhao)
    body = {"name": "联合检查", "planned_start": "2027-03-01", "planned_end": "2027-03-31"}
    created = client.post(
        "/api/joint-checks", body | {"partners": ["WJW"]}, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["partners"] == ["WJW"] and created.json()["lead_department"] == "SCJGJ"
    for partners in (["SCJGJ"], ["NOPE"]):
        refused = client.post(
            "/api/joint-checks", body | {"partners": partners}, content_type="application/json"
        )
        assert refused.status_code == 422 and refused.json()["code"] == "partner_invalid"


def test_reviewers_and_inspectors_do_not_create_plans(
    client_for, market_dept, reviewer_li, inspector_zhang
):
    from spotcheck.plans.models import AnnualPlan

    for user in (reviewer_li, inspector_zhang):
        api = _client(user).post(
            "/api/plans", {"year": 2027, "name": "计划"}, content_type="application/json"
        )
        assert api.status_code == 403
        assert client_for(user).post("/plans/", {"year": 2027, "name": "计划"}).status_code == 403
    assert not AnnualPlan.objects.exists()

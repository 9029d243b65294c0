"""The entity's integrity file (信用档案): every visit, result, amendment, follow-up, proposal
and lead on one page, each department seeing its own results; the office sees all."""

import pytest

from spotcheck.inspections import services
from spotcheck.inspections.leads import lead_register
from spotcheck.inspections.models import ResultCategory
from spotcheck.inspections.selectors import entity_file
from tests.draw_fixtures import team_member
from tests.factories import DepartmentFactory, UserFactory
from tests.inspections.test_followups import approve

MARKET_ITEM, HEALTH_ITEM = "餐饮服务提供者监督检查", "住宿场所卫生监督检查"


@pytest.fixture
def reviewer_zhou(health_dept):
    return UserFactory(username="reviewer_zhou", role="reviewer", department=health_dept)


@pytest.fixture
def checked_entity(joint_visit, reviewer_li, reviewer_zhou, liaison_zhao):
    """Both departments approved; the market result found a problem, was amended, and a lead
    was registered on the entity."""
    market = approve(joint_visit, "SCJGJ", reviewer_li, "follow_up")
    approve(joint_visit, "WJW", reviewer_zhou, "no_problem")
    amendment = services.amendment_propose(
        actor=team_member(joint_visit, "SCJGJ").inspector.user,
        result=market,
        reason="整改后复核更正",
        categories=list(ResultCategory.objects.filter(code="corrected")),
        measures="责令当场改正",
    )
    services.amendment_review(actor=reviewer_li, amendment=amendment, approve=True)
    lead_register(
        actor=liaison_zhao, entity=joint_visit.entity, source="complaint", description="投诉"
    )
    return joint_visit.entity


def _url(entity) -> str:
    return f"/inspections/entities/{entity.key}/file/"


def test_the_department_sees_its_results_amendments_follow_ups_and_leads(
    checked_entity, joint_visit, liaison_zhao, client_for
):
    page = client_for(liaison_zhao).get(_url(checked_entity))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"{joint_visit.batch.number} / {joint_visit.visit_id}" in html
    assert "东城区卫生健康委员会" in html  # the visit's departments
    assert MARKET_ITEM in html and HEALTH_ITEM not in html
    assert "发现问题已责令改正" in html  # effective category after the amendment
    assert "整改后复核更正" in html  # the amendment as history
    assert 'id="file-follow-ups"' in html and "待确定处置方式" in html
    assert "投诉举报" in html


def test_another_department_sees_its_own_results_not_the_follow_up(
    checked_entity, liaison_sun, client_for
):
    html = client_for(liaison_sun).get(_url(checked_entity)).content.decode()
    assert HEALTH_ITEM in html and "未发现问题" in html
    assert MARKET_ITEM not in html
    assert "待确定处置方式" not in html and "整改后复核更正" not in html
    assert "投诉举报" not in html  # the market department's lead


def test_the_office_sees_everything(checked_entity, office_admin_wang):
    record = entity_file(user=office_admin_wang, entity=checked_entity)
    assert {r.department.code for r in record.results} == {"SCJGJ", "WJW"}
    assert len(record.follow_ups) == 1 and len(record.leads) == 1
    market = next(r for r in record.results if r.department.code == "SCJGJ")
    assert [c.code for c in market.effective] == ["corrected"]


def test_an_unrelated_department_gets_the_same_404_as_a_missing_entity(
    checked_entity, client_for, db
):
    outsider = UserFactory(
        username="liaison_qian",
        role="department_admin",
        department=DepartmentFactory(code="ZJW", name="东城区住房和城市建设委员会"),
    )
    client = client_for(outsider)
    assert client.get(_url(checked_entity)).status_code == 404
    assert client.get("/inspections/entities/91110101000000000X/file/").status_code == 404


def test_the_file_has_a_bounded_number_of_queries(
    checked_entity, office_admin_wang, client_for, django_assert_max_num_queries
):
    client = client_for(office_admin_wang)
    with django_assert_max_num_queries(20):
        client.get(_url(checked_entity))

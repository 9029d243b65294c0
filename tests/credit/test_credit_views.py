"""The credit page: internal to the supervising departments and the office, overrides by the
owners only, with the page saying that an override outlives the monthly recomputation."""

from datetime import date

import pytest

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.credit.models import CreditRun
from spotcheck.credit.services import credit_recompute
from tests.factories import EntityFactory
from tests.queue import run_queued_tasks


@pytest.fixture
def firm(market_dept, health_dept):
    entity = EntityFactory(
        credit_class="B", established_on=date(2015, 1, 1), departments=[market_dept, health_dept]
    )
    credit_recompute()
    entity.refresh_from_db()
    return entity


def test_supervising_department_sees_class_reason_and_rule_version(firm, client_for, liaison_sun):
    page = client_for(liaison_sun).get(f"/credit/entities/{firm.key}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "无风险记录；合计0分，A类" in text and "2026.1" in text
    assert "不予公示" in text
    # not an owner: no override form
    assert "调整分类" not in text


def test_other_department_and_inspectors_are_refused(firm, client_for, inspector_zhang, db):
    from spotcheck.accounts.models import Role
    from tests.factories import DepartmentFactory, UserFactory

    outsider = UserFactory(
        username="liaison_qian", role=Role.DEPARTMENT_ADMIN, department=DepartmentFactory()
    )
    assert client_for(outsider).get(f"/credit/entities/{firm.key}/").status_code == 404
    assert client_for(inspector_zhang).get(f"/credit/entities/{firm.key}/").status_code == 403


def test_owner_overrides_with_reason_and_the_page_says_it_sticks(firm, client_for, liaison_zhao):
    client = client_for(liaison_zhao)
    missing = client.post(
        f"/credit/entities/{firm.key}/override/", {"credit_class": "C", "reason": ""}
    )
    assert missing.status_code == 400
    response = client.post(
        f"/credit/entities/{firm.key}/override/",
        {"credit_class": "C", "reason": "行政处罚决定书认定"},
        follow=True,
    )
    text = response.content.decode()
    assert "每月按规则重新计算不会覆盖" in text
    firm.refresh_from_db()
    assert firm.credit_class == "C"
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CREDIT_OVERRIDE_SET, actor=liaison_zhao
    ).exists()


def test_non_owner_cannot_override(firm, client_for, liaison_sun):
    response = client_for(liaison_sun).post(
        f"/credit/entities/{firm.key}/override/", {"credit_class": "D", "reason": "x"}
    )
    assert response.status_code == 403
    firm.refresh_from_db()
    assert firm.credit_class == "A"


def test_office_queues_an_on_demand_run(firm, client_for, office_admin_wang, liaison_zhao):
    assert client_for(liaison_zhao).post("/credit/recompute/").status_code == 403
    before = CreditRun.objects.count()
    response = client_for(office_admin_wang).post("/credit/recompute/", follow=True)
    assert response.status_code == 200
    run_queued_tasks()
    assert CreditRun.objects.count() == before + 1
    run = CreditRun.objects.first()
    assert run.trigger == "on_demand"
    # the trail names the office user who asked, not only "the system"
    event = AuditEvent.objects.get(
        event_type=AuditEventType.CREDIT_RECOMPUTED, target_id=str(run.pk)
    )
    assert event.actor == office_admin_wang


def test_classes_never_reach_the_public_site(firm, client):
    for url in ("/public/", f"/credit/entities/{firm.key}/"):
        response = client.get(url)
        assert "A类（信用风险低）" not in response.content.decode()

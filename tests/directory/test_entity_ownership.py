"""The shared record (registration fields, credit class, abnormal flag) belongs to the
registration authority and the office; other departments keep only their own tags and notes."""

import pytest
from django.test import Client

from spotcheck.accounts.tokens import api_token_create
from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.directory.errors import RegistrationOwnedError
from spotcheck.directory.models import DepartmentEntityRecord, MarketEntity
from spotcheck.directory.services import entity_update
from tests.factories import EntityFactory

REFUSAL = "检查对象的登记信息、信用风险分类和经营异常标记由东城区市场监督管理局和联席会议办公室维护"
REASON_MISSING = "修改信用风险分类或经营异常标记必须填写理由"


@pytest.fixture
def shared_entity(market_dept, health_dept):
    """A restaurant both the market and the health department supervise, class A."""
    return EntityFactory(departments=[market_dept, health_dept], credit_class="A")


def _form(entity, **changes) -> dict:
    fields = ("uscc", "registration_number", "name", "entity_type", "industry_code")
    form = {name: getattr(entity, name) for name in fields}
    form |= {"region_code": entity.region_code, "address": entity.address, "status": "operating"}
    form |= {"credit_class": entity.credit_class, "tags": ""}
    return form | changes


def _api(user) -> Client:
    return Client(headers={"Authorization": f"Bearer {api_token_create(user=user, label='t')}"})


def _patch(user, key, payload):
    return _api(user).patch(f"/api/entities/{key}", payload, content_type="application/json")


def test_health_liaison_cannot_change_class_or_flag_through_the_form(
    client_for, liaison_sun, shared_entity
):
    # given liaison_sun of the health department, which supervises the class A restaurant
    client = client_for(liaison_sun)
    # when she posts the entity form with class D and the abnormal flag set
    form = _form(shared_entity, credit_class="D", abnormal_listed="on", reason="投诉较多")
    response = client.post(f"/directory/entities/{shared_entity.key}/edit/", form)
    # then she is refused in Chinese and nothing changed
    assert response.status_code == 403
    assert REFUSAL in response.content.decode()
    shared_entity.refresh_from_db()
    assert (shared_entity.credit_class, shared_entity.abnormal_listed) == ("A", False)
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ENTITY_UPDATED).exists()


def test_health_liaison_cannot_rename_or_relocate_the_shared_entity(
    client_for, liaison_sun, shared_entity
):
    form = _form(shared_entity, name="改名有限公司", address="别处")
    client_for(liaison_sun).post(f"/directory/entities/{shared_entity.key}/edit/", form)
    shared_entity.refresh_from_db()
    assert shared_entity.name != "改名有限公司"


def test_health_liaison_cannot_change_class_or_flag_through_the_api(liaison_sun, shared_entity):
    payload = {"credit_class": "D", "abnormal_listed": True, "reason": "投诉较多"}
    response = _patch(liaison_sun, shared_entity.key, payload)
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "registration_owned" and REFUSAL in body["messages"][0]
    shared_entity.refresh_from_db()
    assert (shared_entity.credit_class, shared_entity.abnormal_listed) == ("A", False)


def test_the_service_refuses_any_other_path(liaison_sun, shared_entity):
    with pytest.raises(RegistrationOwnedError):
        entity_update(
            actor=liaison_sun, entity=shared_entity, values={"credit_class": "D"}, reason="x"
        )


def test_the_service_refuses_a_health_reviewer_too(health_dept, shared_entity):
    from spotcheck.accounts.models import Role
    from tests.factories import UserFactory

    reviewer = UserFactory(role=Role.REVIEWER, department=health_dept)
    with pytest.raises(RegistrationOwnedError):
        entity_update(actor=reviewer, entity=shared_entity, values={"abnormal_listed": True})


def test_market_liaison_changes_the_class_with_a_reason_and_it_is_audited(
    client_for, liaison_zhao, shared_entity
):
    client = client_for(liaison_zhao)
    url = f"/directory/entities/{shared_entity.key}/edit/"
    # without a reason the form says it is required and nothing changes
    page = client.post(url, _form(shared_entity, credit_class="D")).content.decode()
    assert REASON_MISSING in page
    shared_entity.refresh_from_db()
    assert shared_entity.credit_class == "A"
    # with a reason the class changes and the old and new values are audited
    form = _form(shared_entity, credit_class="D", abnormal_listed="on", reason="月度分类结果")
    assert client.post(url, form).status_code == 302
    shared_entity.refresh_from_db()
    assert (shared_entity.credit_class, shared_entity.abnormal_listed) == ("D", True)
    event = AuditEvent.objects.get(event_type=AuditEventType.ENTITY_RISK_CHANGED)
    assert event.actor == liaison_zhao
    assert event.extra["changes"] == {
        "credit_class": ["A", "D"],
        "abnormal_listed": ["False", "True"],
    }
    assert event.extra["reason"] == "月度分类结果"
    assert shared_entity.history.latest("history_date").history_change_reason == "月度分类结果"


def test_office_changes_the_flag_through_the_api_only_with_a_reason(
    office_admin_wang, shared_entity
):
    response = _patch(office_admin_wang, shared_entity.key, {"abnormal_listed": True})
    assert response.status_code == 422
    assert response.json()["messages"] == [REASON_MISSING]
    payload = {"abnormal_listed": True, "reason": "经营异常名录决定书"}
    response = _patch(office_admin_wang, shared_entity.key, payload)
    assert response.status_code == 200 and response.json()["abnormal_listed"] is True
    event = AuditEvent.objects.get(event_type=AuditEventType.ENTITY_RISK_CHANGED)
    assert event.extra["changes"] == {"abnormal_listed": ["False", "True"]}


def test_health_keeps_its_own_tags_and_notes_beside_the_shared_record(
    client_for, liaison_sun, liaison_zhao, shared_entity
):
    # given the health department's liaison writes its own tags and notes
    client = client_for(liaison_sun)
    url = f"/directory/entities/{shared_entity.key}/department-record/"
    response = client.post(url, {"tags": "公共场所卫生许可，重点单位", "notes": "2025年投诉两次"})
    assert response.status_code == 302
    # then they are kept as the health department's, and the shared record is untouched
    record = DepartmentEntityRecord.objects.get(entity=shared_entity)
    assert record.department.code == "WJW"
    assert record.tags == ["公共场所卫生许可", "重点单位"] and record.notes == "2025年投诉两次"
    shared_entity.refresh_from_db()
    assert shared_entity.tags == [] and shared_entity.credit_class == "A"
    event = AuditEvent.objects.get(event_type=AuditEventType.ENTITY_DEPARTMENT_RECORD_SAVED)
    assert event.department.code == "WJW"
    # the health liaison sees its notes; the market department does not see them
    assert (
        "2025年投诉两次" in client.get(f"/directory/entities/{shared_entity.key}/").content.decode()
    )
    other = client_for(liaison_zhao).get(f"/directory/entities/{shared_entity.key}/")
    assert "2025年投诉两次" not in other.content.decode()


def test_health_saves_its_record_through_the_api(liaison_sun, shared_entity):
    url = f"/api/entities/{shared_entity.key}/department-record"
    payload = {"tags": ["重点单位"], "notes": "夜间营业"}
    response = _api(liaison_sun).put(url, payload, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"department": "WJW", "tags": ["重点单位"], "notes": "夜间营业"}


def test_a_department_cannot_write_notes_on_an_entity_it_does_not_supervise(
    client_for, liaison_sun, market_dept
):
    entity = EntityFactory(departments=[market_dept])
    url = f"/directory/entities/{entity.key}/department-record/"
    response = client_for(liaison_sun).post(url, {"notes": "x"})
    assert response.status_code == 404  # not visible: the same answer as a missing entity
    assert not DepartmentEntityRecord.objects.exists()


def test_the_edit_page_for_a_non_owner_points_to_its_own_record(
    client_for, liaison_sun, shared_entity
):
    page = client_for(liaison_sun).get(f"/directory/entities/{shared_entity.key}/edit/")
    assert page.status_code == 403
    assert "编辑本部门标签和备注" in page.content.decode()
    assert MarketEntity.objects.get().credit_class == "A"


def test_an_inspector_of_the_registration_authority_cannot_patch_through_the_api(
    inspector_zhang, reviewer_li, shared_entity
):
    for user in (inspector_zhang, reviewer_li):
        response = _patch(user, shared_entity.key, {"credit_class": "D", "reason": "x"})
        assert response.status_code == 403
    shared_entity.refresh_from_db()
    assert shared_entity.credit_class == "A"


def test_a_non_owner_writing_nothing_is_still_refused_and_nothing_is_audited(
    liaison_sun, shared_entity
):
    response = _patch(liaison_sun, shared_entity.key, {})
    assert response.status_code == 403
    # the request's own token and login are audited; nothing about the entity is
    assert not AuditEvent.objects.filter(target_type__contains="entity").exists()

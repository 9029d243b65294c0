"""Editing the directories through the UI: validated, audited, with history kept."""

from spotcheck.audit.event_types import AuditEventType
from spotcheck.audit.models import AuditEvent
from spotcheck.directory.models import InspectorConflict, MarketEntity
from tests.factories import EntityFactory, InspectorFactory

FORM = {
    "uscc": "91110000600037341L",
    "registration_number": "",
    "name": "北京新设有限公司",
    "entity_type": "enterprise",
    "industry_code": "5212",
    "region_code": "110101",
    "address": "东城区某路1号",
    "status": "operating",
    "credit_class": "B",
    "tags": "食品经营许可，排污许可",
}


def test_office_adds_an_entity_and_it_is_audited(client_for, office_admin_wang, market_dept):
    client = client_for(office_admin_wang)
    response = client.post("/directory/entities/new/", FORM | {"departments": [market_dept.pk]})
    assert response.status_code == 302
    entity = MarketEntity.objects.get()
    assert entity.key == FORM["uscc"] and entity.tags == ["排污许可", "食品经营许可"]
    event = AuditEvent.objects.exclude(event_type=AuditEventType.LOGIN_SUCCEEDED).get()
    assert event.event_type == AuditEventType.ENTITY_CREATED and event.actor == office_admin_wang


def test_invalid_uscc_gets_a_chinese_error(client_for, office_admin_wang):
    client = client_for(office_admin_wang)
    response = client.post("/directory/entities/new/", FORM | {"uscc": "91110000600037341M"})
    assert response.status_code == 200
    assert "统一社会信用代码校验位不正确" in response.content.decode()
    assert not MarketEntity.objects.exists()


def test_unknown_region_and_industry_are_refused(client_for, office_admin_wang):
    client = client_for(office_admin_wang)
    page = client.post(
        "/directory/entities/new/", FORM | {"region_code": "999999", "industry_code": "9999"}
    ).content.decode()
    assert "行政区划代码不在 GB/T 2260 中" in page
    assert "行业代码不在 GB/T 4754-2017 中" in page


def test_department_edits_its_entity_and_history_shows_the_old_value(
    client_for, liaison_zhao, market_dept
):
    entity = EntityFactory(departments=[market_dept], name="旧名称有限公司")
    client = client_for(liaison_zhao)
    form = FORM | {"uscc": entity.uscc, "name": "新名称有限公司"}
    assert client.post(f"/directory/entities/{entity.key}/edit/", form).status_code == 302
    page = client.get(f"/directory/entities/{entity.key}/").content.decode()
    assert "新名称有限公司" in page
    assert list(entity.history.order_by("history_date").values_list("name", flat=True))[-2:] == [
        "旧名称有限公司",
        "新名称有限公司",
    ]
    changes = AuditEvent.objects.get(event_type=AuditEventType.ENTITY_UPDATED).extra["changes"]
    assert changes["name"] == ["旧名称有限公司", "新名称有限公司"]


def test_liaison_declares_a_conflict(client_for, liaison_zhao, market_dept):
    inspector = InspectorFactory(department=market_dept)
    entity = EntityFactory(departments=[market_dept])
    client = client_for(liaison_zhao)
    response = client.post(
        f"/directory/inspectors/{inspector.pk}/", {"entity_key": entity.key, "reason": "近亲属"}
    )
    assert response.status_code == 302
    assert InspectorConflict.objects.get().reason == "近亲属"


def test_liaison_adds_an_inspector_to_own_department(client_for, liaison_sun, health_dept):
    client = client_for(liaison_sun)
    form = {
        "name": "新检查员",
        "certificate_number": "ZF-1",
        "certificate_expiry": "2028-01-01",
        "expertise": "公共场所卫生",
        "status": "active",
        "capacity_per_batch": 10,
    }
    assert client.post("/directory/inspectors/new/", form).status_code == 302
    assert health_dept.inspectors.get().name == "新检查员"


def test_entity_list_filters(client_for, office_admin_wang, market_dept):
    EntityFactory(name="甲餐饮有限公司", credit_class="D")
    EntityFactory(name="乙商贸有限公司", credit_class="A")
    page = client_for(office_admin_wang).get("/directory/entities/", {"credit_class": "D"})
    text = page.content.decode()
    assert "甲餐饮有限公司" in text and "乙商贸有限公司" not in text

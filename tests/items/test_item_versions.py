"""An item's wording is versioned: a change keeps the earlier version for past tasks."""

from spotcheck.items.models import CheckItemVersion
from tests.factories import make_item

FORM = {
    "category": "食品安全监督检查",
    "name": "食品销售者监督检查",
    "inspection_object": "食品销售者",
    "legal_basis": "《食品安全法》第八十七条",
    "inspecting_body": "东城区市场监督管理局",
    "content": "进货查验记录",
    "methods": ["on_site"],
    "kind": "general",
    "ratio_cap": "0.05",
    "frequency": "每年1次",
    "level": "区级",
}


def test_revising_makes_a_new_version_and_keeps_the_old(client_for, liaison_zhao, market_dept):
    item = make_item(market_dept, kind="general")
    old_version = item.current_version
    client = client_for(liaison_zhao)
    assert client.post(f"/items/{item.pk}/edit/", FORM).status_code == 302
    item.refresh_from_db()
    assert item.current_version.number == 2
    assert item.current_version.legal_basis == "《食品安全法》第八十七条"
    old_version.refresh_from_db()
    assert old_version.legal_basis == "《食品安全法》"
    # saving the same form again writes no third version
    client.post(f"/items/{item.pk}/edit/", FORM)
    assert CheckItemVersion.objects.filter(item=item).count() == 2


def test_general_item_without_a_cap_follows_the_department_default(
    client_for, liaison_zhao, market_dept
):
    response = client_for(liaison_zhao).post("/items/new/", FORM | {"code": "X-1", "ratio_cap": ""})
    assert response.status_code == 302
    version = market_dept.check_items.get().current_version
    assert version.ratio_cap is None and not version.cap_set_in_list
    assert str(version.effective_ratio_cap()) == "0.05"
    page = client_for(liaison_zhao).get(response["Location"]).content.decode()
    assert "清单未设定（按部门默认上限 0.05）" in page


def test_key_item_has_no_cap(client_for, liaison_zhao, market_dept):
    client = client_for(liaison_zhao)
    client.post("/items/new/", FORM | {"code": "X-2", "kind": "key", "ratio_cap": "0.05"})
    assert market_dept.check_items.get().current_version.ratio_cap is None

"""The entity list's industry filter treats a code as a prefix, like a task's population."""

from tests.factories import EntityFactory


def test_industry_code_filters_by_prefix(client_for, office_admin_wang):
    EntityFactory(name="甲餐饮有限公司", industry_code="6210")
    EntityFactory(name="乙快餐店", industry_code="6220")
    EntityFactory(name="丙商贸有限公司", industry_code="5212")
    client = client_for(office_admin_wang)
    text = client.get("/directory/entities/", {"industry_code": "62"}).content.decode()
    assert "甲餐饮有限公司" in text and "乙快餐店" in text
    assert "丙商贸有限公司" not in text
    exact = client.get("/directory/entities/", {"industry_code": "6210"}).content.decode()
    assert "甲餐饮有限公司" in exact and "乙快餐店" not in exact

"""The leads page stays short: with fewer than two leads it says why there is nothing to group,
and the items to choose are one compact list in code order, never hundreds of checkboxes."""

import re

from spotcheck.inspections.leads import lead_register
from tests.factories import make_item


def test_no_leads_no_grouping_form_and_no_item_wall(
    district, liaison_zhao, client_for, market_dept
):
    for n in range(30):
        make_item(market_dept, code=f"SC-{n:03d}", name=f"事项{n}", kind="key")
    page = client_for(liaison_zhao).get("/inspections/leads/").content.decode()
    assert 'id="group-form"' not in page
    assert "合并需要至少两条待处理的线索" in page
    assert page.count('type="checkbox"') == 0


def test_grouping_form_lists_items_compactly_in_code_order(
    district, liaison_zhao, client_for, market_dept
):
    for code in ("SC-003", "SC-001", "SC-002"):
        make_item(market_dept, code=code, name=f"事项{code}", kind="key")
    for entity in district[:2]:
        lead_register(actor=liaison_zhao, entity=entity, source="complaint", description="同类投诉")
    page = client_for(liaison_zhao).get("/inspections/leads/").content.decode()
    form = page[page.index('id="group-form"') :]
    assert '<select name="items"' in form and 'name="items" value=' not in form
    codes = re.findall(r">(SC-00\d) 事项", form)
    assert codes == ["SC-001", "SC-002", "SC-003"]
    assert form.count('name="leads"') == 2

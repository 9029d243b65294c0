"""Typing a task's design shows, live, the population and expected sample per stratum and the
rule checks, on a desktop and on a phone."""

import pytest
from playwright.sync_api import expect

from tests.factories import EntityFactory, make_item

from .conftest import login

pytestmark = pytest.mark.browser


@pytest.fixture(params=["page", "phone_page"])
def any_page(request):
    return request.getfixturevalue(request.param)


def test_the_design_is_checked_live_as_it_is_typed(any_page, liaison_zhao, market_dept):
    page = any_page
    for credit_class in ["A"] * 70 + ["B"] * 20 + ["C"] * 7 + ["D"] * 3:
        EntityFactory(credit_class=credit_class, departments=[market_dept])
    make_item(market_dept, code="SC-001", name="电梯使用单位监督检查", kind="key")
    login(page, "liaison_zhao", "pw")
    page.goto("/plans/tasks/new/")

    # the population and the pre-filled probabilities are shown before anything is typed
    expect(page.locator("#preview-population")).to_have_text("100")
    expect(page.locator("select[name=design_mode]")).to_have_value("poisson")

    # when the liaison types a probability that is too low for every class
    page.get_by_label("电梯使用单位监督检查").check()
    for stratum in "ABCD":
        page.fill(f"input[name=value_{stratum}]", "")
    page.fill("input[name=value_all]", "0.01")

    # then the rule check appears without saving
    expect(page.locator("#preview-problems")).to_contain_text("低于最低比例 3.0%")
    expect(page.locator("#preview-ratio")).to_have_text("1.0%")

    # and a count of 40 per class shows what it means in all
    page.select_option("select[name=design_mode]", "count")
    page.fill("input[name=value_all]", "40")
    expect(page.locator("#preview-expected")).to_have_text("70.0")
    expect(page.locator("#preview-ok")).to_be_visible()

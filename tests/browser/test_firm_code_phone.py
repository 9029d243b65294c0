"""亮码检查 on a phone: the firm scans its visit's code, checks the inspectors and their
certificates, rates the visit after it; the department sees the aggregate only."""

import pytest
from playwright.sync_api import expect

from spotcheck.draws.notices.context import inspection_link
from spotcheck.inspections.services import visit_complete
from tests.firms.printed import printed_pin

from .conftest import login

pytestmark = pytest.mark.browser

PASSWORD = "pw"


def test_a_firm_scans_checks_the_team_and_rates_the_visit(
    browser, phone_page, page, joint_visit, inspector_market, liaison_zhao
):
    phone = phone_page
    serving = list(joint_visit.team.serving().select_related("inspector"))
    # when the firm scans the QR on its notice (the link it encodes) with a phone, no login
    link = inspection_link(joint_visit)
    phone.goto(link[link.index("/check/") :])
    # then it reads the check and each inspector with certificate number and validity
    expect(phone.locator("h1")).to_have_text("亮码检查：核对检查信息")
    expect(phone.locator("#visit-state")).to_contain_text("本次检查尚未完成")
    team = phone.locator("#team tbody tr")
    expect(team).to_have_count(len(serving))
    for member in serving:
        row = team.filter(has_text=member.inspector.certificate_number)
        expect(row).to_contain_text(member.inspector.name)
        expect(row).to_contain_text(member.inspector.certificate_expiry.isoformat())
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # given the team completed the visit
    visit_complete(actor=inspector_market, visit=joint_visit)
    # when the firm comes back and rates it with the PIN on its notice
    phone.reload()
    expect(phone.locator("#visit-state")).to_contain_text("本次检查已完成")
    phone.locator("input[name=pin]").fill(printed_pin(joint_visit))
    phone.locator("#rating-form label", has_text="4").first.click()
    phone.locator("textarea[name=text]").fill("检查人员出示证件，流程规范")
    phone.get_by_role("button", name="提交评价").click()
    expect(phone.locator(".messages")).to_contain_text("感谢评价，您的评价已提交。")
    expect(phone.locator("#rated")).to_be_visible()

    # then the market department sees one rating and no average, and not the firm's words
    login(page, "liaison_zhao", PASSWORD)
    page.goto("/check/ratings/")
    summary = page.locator("#rating-summary")
    expect(summary).to_contain_text("1")
    expect(summary).to_contain_text("评价少于5条，不显示平均分")
    expect(page.get_by_text("检查人员出示证件，流程规范")).to_have_count(0)
    expect(page.locator("#all-ratings")).to_have_count(0)


def test_a_firm_opens_its_account_on_a_phone_and_signs_in_without_a_code(
    phone_page, joint_visit, liaison_zhao
):
    from tests.firms.test_firm_account import market_task
    from tests.publication.helpers import record_for

    record_for(
        joint_visit,
        market_task(joint_visit),
        liaison_zhao,
        published_on="2026-06-01",
        codes=("corrected",),
    )
    phone = phone_page
    pin = printed_pin(joint_visit)
    # given the firm scanned its notice's code
    link = inspection_link(joint_visit)
    phone.goto(link[link.index("/check/") :])
    # when it opens an account with the code (carried over) and the PIN on the notice
    phone.locator("#open-account").click()
    expect(phone.locator("h1")).to_have_text("开通企业账号")
    phone.locator("input[name=pin]").fill(pin)
    phone.locator("input[name=username]").fill("qiye_phone")
    phone.locator("input[name=password]").fill("Qiye-mima-2026")
    phone.locator("input[name=password_again]").fill("Qiye-mima-2026")
    phone.get_by_role("button", name="开通并登录").click()
    # then it is signed in on its own page: its check and its published negative record
    expect(phone.locator(".messages")).to_contain_text("企业账号已开通")
    expect(phone.locator("#firm-entity")).to_contain_text(joint_visit.entity.name)
    expect(phone.locator("#account-visits")).to_contain_text(joint_visit.visit_id)
    expect(phone.get_by_text("整改后申请信用修复")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # and after signing out, the password alone brings it back, no code needed
    phone.get_by_role("button", name="退出登录").click()
    phone.goto("/accounts/login/")
    phone.fill("input[name=username]", "qiye_phone")
    phone.fill("input[name=password]", "Qiye-mima-2026")
    phone.get_by_role("button", name="登录").click()
    expect(phone.locator("#account-visits")).to_contain_text(joint_visit.visit_id)
    # while an internal page stays closed to it
    response = phone.goto("/draws/")
    assert response is not None and response.status == 403

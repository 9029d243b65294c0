"""The reports of a joint check in the browser (Lüyuan steps 6–8): the health commission signs
its result report, the market bureau (the team leader) reads it and writes the summary, the
office sees it on the yearly timetable. Screenshots in var/browser-artifacts/joint-reports/."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.stats.joint_reports.conftest import finish_field_work

from .conftest import login

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.ROOT_DIR) / "var" / "browser-artifacts" / "joint-reports"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _sign_own(page, kind: str, extra: str) -> None:
    page.goto("/stats/joint-reports/")
    page.locator(f"#owed tr[data-kind={kind}] button").click()
    body = page.locator("textarea[name=body]")
    body.fill(body.input_value() + "\n" + extra)
    page.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messages")).to_contain_text("报告已保存")
    page.get_by_role("button", name="签发", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text("报告已签发（第1版）")


def test_a_department_signs_the_lead_sums_up_the_office_sees_it(
    page, drawn_batch, joint_visit, liaison_zhao, liaison_sun, office_admin_wang
):
    finish_field_work(drawn_batch, problem_visit=joint_visit)

    # The health commission: the report is on its home page, overdue; it drafts and signs it.
    login(page, liaison_sun.username, "pw")
    expect(page.locator("#todo-joint_reports")).to_contain_text("检查结果报告")
    expect(page.locator("#todo-joint_reports")).to_contain_text("已逾期")
    _sign_own(page, "result", "卫健委：未发现问题。")
    expect(page.locator(".report-body")).to_contain_text("卫健委：未发现问题。")
    shot(page, "1-health-signed")

    # The market bureau leads: the summary waits for its own report, then sums up both.
    page.context.clear_cookies()
    login(page, liaison_zhao.username, "pw")
    _sign_own(page, "result", "市场监管局：已责令整改。")
    page.goto("/stats/joint-reports/")
    page.locator("#reports tr", has_text="东城区卫生健康委员会").get_by_role("link").click()
    expect(page.locator(".report-body")).to_contain_text("卫健委：未发现问题。")
    shot(page, "2-lead-reads-partner")
    page.goto("/stats/joint-reports/")
    page.locator("#owed tr[data-kind=summary] button").click()
    expect(page.locator("textarea[name=body]")).to_contain_text("东城区卫生健康委员会：检查")
    page.get_by_role("button", name="签发", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text("报告已签发（第1版）")
    shot(page, "3-summary-signed")

    # The office: the timetable shows the reports, three of five signed, the rest overdue.
    page.context.clear_cookies()
    login(page, office_admin_wang.username, "pw")
    page.goto("/stats/timetable/?year=2026")
    row = page.locator("tr[data-measure=reports_signed]")
    expect(row).to_contain_text("已签发 3/5 份")
    expect(row).to_contain_text("已逾期")
    expect(row).to_contain_text("部门")
    shot(page, "4-office-timetable")
    page.goto("/stats/joint-reports/")
    page.locator("#reports tr", has_text="汇总报告").get_by_role("link").click()
    with page.expect_download() as download:
        page.locator("a.download-pdf").first.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

"""The office's dashboard in the browser: open it, filter by department, click a figure through
to its records, and download the yearly report. Screenshots are kept in var/browser-artifacts/."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from spotcheck.inspections.models import FieldVisit
from tests.queue import run_queued_tasks
from tests.stats.builders import YEAR, District

from .conftest import login

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.ROOT_DIR) / "var" / "browser-artifacts" / "stats"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_the_office_reads_the_dashboard_and_downloads_the_yearly_report(
    page, office_admin_wang, liaison_zhao, liaison_sun, market_dept, health_dept
):
    market = District(market_dept, liaison_zhao)
    market.visit(outcome=FieldVisit.Outcome.CHECKED, codes=["corrected"], published=f"{YEAR}-04-20")
    market.visit()
    health = District(health_dept, liaison_sun)
    health.visit(outcome=FieldVisit.Outcome.CHECKED, codes=["no_problem"])

    login(page, office_admin_wang.username, "pw")
    page.get_by_role("link", name="统计分析").click()
    page.fill("input[name=year]", str(YEAR))
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("[data-figure=drawn]").first).to_have_text("3")
    expect(page.locator("[data-chart=funnel] svg")).to_be_visible()  # ECharts drew the funnel
    shot(page, "1-district")

    # filter by department
    page.select_option("select[name=department]", label="东城区市场监督管理局")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("[data-figure=drawn]").first).to_have_text("2")
    shot(page, "2-market-bureau")

    # click through to the records behind 已检查
    page.locator(".stats-cards [data-figure=visited]").click()
    expect(page.locator("h1")).to_have_text("已检查")
    expect(page.locator("table.figure-records tbody tr")).to_have_count(1)
    shot(page, "3-records")

    # ask for the yearly report; the job makes it; download the PDF
    page.goto("/stats/reports/")
    page.fill("input[name=year]", str(YEAR))
    page.get_by_role("button", name="生成年度报告").click()
    expect(page.locator("ul.messages")).to_contain_text("年度报告正在生成")
    run_queued_tasks()
    page.reload()
    shot(page, "4-reports")
    with page.expect_download() as download:
        page.locator("a.download-pdf").first.click()
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")


def test_the_office_opens_the_firms_at_the_yearly_cap(
    page, office_admin_wang, liaison_zhao, market_dept
):
    from datetime import date

    from tests.factories import EntityFactory

    firm = EntityFactory(name="北京两次检查餐饮有限公司", departments=[market_dept])
    District(market_dept, liaison_zhao).visit(entity=firm, on=date(YEAR, 3, 2))
    District(market_dept, liaison_zhao).visit(entity=firm, on=date(YEAR, 9, 1))
    District(market_dept, liaison_zhao).visit()  # another firm, checked once

    login(page, office_admin_wang.username, "pw")
    page.goto(f"/stats/?year={YEAR}")
    reach = page.locator("section.reach")
    expect(reach.locator("tfoot [data-figure=at_cap]")).to_have_text("1")
    expect(reach.locator("tfoot [data-figure=population]")).to_have_text("2")
    shot(page, "5-reach")
    reach.locator("tfoot [data-figure=at_cap]").click()
    expect(page.locator("h1")).to_have_text("本年度检查次数达到部门上限的检查对象")
    rows = page.locator("table.figure-records tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("北京两次检查餐饮有限公司")
    shot(page, "6-at-cap-records")

"""One public (一公开) through the browser: the market bureau's reviewer approves a result, its
liaison publishes the task (谁检查、谁公开), and a citizen finds the result by USCC on a phone
without logging in; the deadline view shows the days left before and "on time" after."""

import pytest
import time_machine
from playwright.sync_api import expect

from spotcheck.inspections import services
from spotcheck.inspections.models import ItemResult
from spotcheck.publication.models import CalendarDay, CalendarYear, PublicRecord
from spotcheck.publication.seeding import seed_years
from tests.draw_fixtures import team_member
from tests.publication.helpers import categories, complete_visit

from .conftest import login

pytestmark = pytest.mark.browser

PASSWORD = "pw"


@pytest.fixture
def calendar(transactional_db):
    """The calendar comes from a data migration that an earlier transactional test flushed."""
    seed_years(CalendarYear, CalendarDay, years=[2026])


@pytest.fixture
def submitted(joint_visit, calendar, result_categories):
    """Checked on Friday 6 February 2026 (20 working days end on 12 March), entered and
    submitted by the market bureau's inspectors."""
    complete_visit(joint_visit, "2026-02-06")
    inspector = team_member(joint_visit, "SCJGJ").inspector.user
    result = ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")
    services.result_enter(
        actor=inspector,
        result=result,
        categories=categories("no_problem"),
        finding="内部记录：店长在场",
        confirmations=list(joint_visit.team.values_list("pk", flat=True)),
    )
    return services.result_submit(actor=inspector, result=result)


@time_machine.travel("2026-03-09 10:00 +0800", tick=True)
def test_approved_published_and_found_by_uscc_on_a_phone(
    page, phone_page, submitted, reviewer_li, liaison_zhao, joint_visit
):
    entity = joint_visit.entity
    task = joint_visit.tasks.get(department__code="SCJGJ")

    # Given the reviewer's queue, when reviewer_li approves the result,
    login(page, reviewer_li.username, PASSWORD)
    page.get_by_role("link", name="结果审核").click()
    # (approving asks for confirmation: an approved result changes only by amendment)
    page.once("dialog", lambda dialog: dialog.accept() if "不能再修改" in dialog.message else None)
    page.locator("#queue li.card").get_by_role("button", name="通过").click()
    expect(page.locator("ul.messages")).to_contain_text("已审核通过")
    page.context.clear_cookies()

    # then the liaison's deadline view shows the task due soon, three working days left,
    login(page, liaison_zhao.username, PASSWORD)
    page.get_by_role("link", name="结果公示").first.click()
    row = page.locator("tr", has_text=task.number)
    expect(row).to_contain_text("即将到期")
    expect(row.locator("td.days-left")).to_have_text("3")

    # and when the liaison publishes the task,
    row.get_by_role("link").click()
    page.get_by_role("button", name="公开本任务全部已审核结果").click()
    expect(page.locator("ul.messages")).to_contain_text("已公开 1 条结果")

    # the deadline view says it was published on time.
    page.get_by_role("link", name="返回公示期限").click()
    row = page.locator("tr", has_text=task.number)
    expect(row).to_contain_text("已公示")
    expect(row).to_contain_text("按期公示")

    # A citizen on a phone, not logged in, finds it by USCC from the portal's navigation,
    phone = phone_page
    phone.goto("/public/items/")
    phone.get_by_role("link", name="检查结果公示").first.click()
    phone.get_by_label("企业名称或统一社会信用代码").fill(entity.uscc)
    phone.get_by_role("button", name="查询").click()
    found = phone.locator("tbody tr")
    expect(found).to_have_count(1)
    expect(found).to_contain_text(entity.name)
    expect(found).to_contain_text("未发现问题")

    # and its record shows the published fields, not the inspectors' notes or names.
    found.get_by_role("link", name=entity.name).click()
    record = phone.locator("main")
    for text in (task.number, "东城区市场监督管理局", "餐饮服务提供者监督检查", "按期公示"):
        expect(record).to_contain_text(text)
    expect(record).not_to_contain_text("内部记录")
    for member in joint_visit.team.select_related("inspector"):
        expect(record).not_to_contain_text(member.inspector.name)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the record page is {width}px wide on a 390px phone"
    assert PublicRecord.objects.get().on_time

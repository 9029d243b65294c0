"""A joint check from invitation to the inspectors' phones, entirely through the browser.

The market bureau (SCJGJ) invites the health commission (WJW); each adds its task; the office
approves; the lead department commits the batch, enters the dice, draws, reads the joint visits
and their teams, downloads a notice; the public page shows the commitments and the kit.
"""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from spotcheck.common.pagination import PAGE_SIZE
from spotcheck.directory.models import Inspector
from spotcheck.draws.models import BatchStatus, DrawBatch, VisitInspector
from spotcheck.draws.services import batch_commit, batch_create, batch_request_draw
from tests.draw_fixtures import ceremony_time
from tests.factories import make_item
from tests.queue import run_queued_tasks

from .conftest import Confirmations, HeldRequests, login

pytestmark = pytest.mark.browser

PASSWORD = "pw"  # every persona of tests/conftest.py (UserFactory)
MARKET = "东城区市场监督管理局"
HEALTH = "东城区卫生健康委员会"
MARKET_ITEM = "餐饮服务提供者监督检查"
HEALTH_ITEM = "住宿场所卫生监督检查"
JOINT_NAME = "餐饮住宿场所联合抽查"
DICE = "6 2 5 1 3 4 4 6"
HEX64 = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture
def joint_items(district, market_dept, health_dept):
    """One key item per department, needing the expertise the district's inspectors have."""
    items = {}
    for dept, code, name, field in (
        (market_dept, "SC-001", MARKET_ITEM, "食品安全"),
        (health_dept, "WJ-001", HEALTH_ITEM, "公共场所卫生"),
    ):
        item = make_item(dept, code=code, name=name, kind="key")
        item.current_version.expertise = field
        item.current_version.save()
        items[dept.code] = item
    return items


def _log_out(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="退出").click()


def _add_task(page, item_name: str) -> None:
    """From the joint check's page: 添加本部门任务, a credit-class probability design, save."""
    page.get_by_role("link", name="添加本部门任务").click()
    expect(page).to_have_url(re.compile(r"/plans/tasks/new/\?joint=\d+$"))
    page.get_by_label(item_name).check()
    page.select_option("select[name=design_mode]", "poisson")
    for stratum, value in (("A", "0.1"), ("B", "0.2"), ("C", "1"), ("D", "1")):
        page.fill(f"input[name=value_{stratum}]", value)
    # the joint check's dates are filled in for the department
    expect(page.locator("input[name=planned_start]")).to_have_value("2026-12-01")
    expect(page.locator("input[name=planned_end]")).to_have_value("2026-12-31")
    page.get_by_role("button", name="保存并检查规则").click()
    expect(page).to_have_url(re.compile(r"/plans/tasks/\d+/$"))
    expect(page.locator("ul.messages")).to_contain_text("任务已保存，通过全部规则检查")
    expect(page.locator("#population")).to_contain_text("60")
    # back to the joint check through the task's record
    page.locator("dl.record").get_by_role("link", name=re.compile(JOINT_NAME)).click()
    expect(page).to_have_url(re.compile(r"/plans/joint/\d+/$"))


def test_joint_check_from_invitation_to_notice(
    page, liaison_zhao, liaison_sun, office_admin_wang, joint_items, tmp_path
):
    # given the market bureau's liaison
    login(page, "liaison_zhao", PASSWORD)

    # when they start a joint check inviting the health commission
    page.get_by_role("link", name="联合抽查", exact=True).click()
    expect(page).to_have_url(re.compile(r"/plans/joint/$"))
    form = page.locator("#joint-form")
    form.get_by_label("联合抽查名称").fill(JOINT_NAME)
    form.get_by_label(HEALTH).check()
    form.locator("input[name=planned_start]").fill("2026-12-01")
    form.locator("input[name=planned_end]").fill("2026-12-31")
    form.get_by_role("button", name="发起").click()

    # then the joint check's page shows both departments, neither with a task yet
    expect(page).to_have_url(re.compile(r"/plans/joint/\d+/$"))
    joint_url = page.url
    expect(page.locator("h1")).to_have_text(JOINT_NAME)
    expect(page.locator("#joint-status")).to_have_text("草稿")
    expect(page.get_by_text("尚未添加任务的部门")).to_contain_text(HEALTH)

    # when the lead adds its own task, it passes every rule
    _add_task(page, MARKET_ITEM)
    expect(page.get_by_text("尚未添加任务的部门")).to_have_text(f"尚未添加任务的部门: {HEALTH}")
    expect(page.get_by_role("link", name="添加本部门任务")).to_have_count(0)

    # when the health commission's liaison adds theirs
    _log_out(page)
    login(page, "liaison_sun", PASSWORD)
    page.goto(joint_url)
    _add_task(page, HEALTH_ITEM)
    expect(page.get_by_text("尚未添加任务的部门")).to_have_count(0)
    expect(page.get_by_role("button", name="提交办公室审批")).to_have_count(0)  # lead only

    # and the lead submits it and the office approves it
    _log_out(page)
    login(page, "liaison_zhao", PASSWORD)
    page.goto(joint_url)
    page.get_by_role("button", name="提交办公室审批").click()
    expect(page.locator("#joint-status")).to_have_text("待办公室审批")
    _log_out(page)
    login(page, "office_admin_wang", PASSWORD)
    page.goto(joint_url)
    page.get_by_role("button", name="批准").click()
    expect(page.locator("#joint-status")).to_have_text("已批准")

    # when the lead creates a draw batch of the joint check
    _log_out(page)
    login(page, "liaison_zhao", PASSWORD)
    page.get_by_role("link", name="抽取", exact=True).click()
    expect(page).to_have_url(re.compile(r"/draws/$"))
    batch_form = page.locator("#batch-form")
    batch_form.locator("input[name=name]").fill("餐饮住宿联合抽查批次")
    choice = batch_form.locator("select[name=joint_check] option", has_text=JOINT_NAME)
    batch_form.locator("select[name=joint_check]").select_option(choice.get_attribute("value"))
    batch_form.locator("input[name=randomness_source]").fill("公开抽取现场由两名见证人掷骰子8次")
    batch_form.locator("input[name=randomness_due]").fill("2026-11-30T10:00")
    batch_form.get_by_role("button", name="新建").click()
    expect(page).to_have_url(re.compile(r"/draws/\d+/$"))
    batch_url = page.url
    expect(page.locator("#batch-status")).to_have_text("草稿")

    # and commits it: the population and the design are locked and their commitments shown
    confirmations = Confirmations(page)
    page.get_by_role("button", name="锁定并公布承诺").click()
    expect(page.locator("#batch-status")).to_have_text("已公布承诺")
    expect(page.locator("#population-root")).to_have_text(HEX64)
    expect(page.locator("#design-hash")).to_have_text(HEX64)
    population_root = page.locator("#population-root").inner_text()
    design_hash = page.locator("#design-hash").inner_text()

    # when they enter the dice and the witness and draw
    randomness = page.locator("#randomness-form")
    randomness.locator("input[name=randomness]").fill(DICE)
    randomness.locator("input[name=witnesses]").fill("张三、李四")
    polls = HeldRequests(page, "**/draws/*/status/")
    randomness.get_by_role("button", name="抽取").click()
    # each irreversible step asked first, saying what cannot be undone
    assert "不能再更改" in confirmations.messages[0]
    assert "本批次只抽取一次" in confirmations.messages[1]

    # then the page says the draw is running; the worker draws; the page reloads itself
    expect(page.locator("#drawing")).to_contain_text("正在抽取")
    expect(page.locator("#batch-status")).to_have_text("抽取中")
    run_queued_tasks()
    polls.release()
    expect(page.locator("#batch-status")).to_have_text("已抽取", timeout=15_000)
    expect(page).to_have_url(batch_url)
    expect(page.locator("#randomness")).to_contain_text(DICE)
    visit_count = int(page.locator("#visit-count").inner_text())
    visits_saved = int(page.locator("#visits-saved").inner_text())
    assert visit_count > 0 and visits_saved > 0, (visit_count, visits_saved)
    rows = page.locator("#visits tbody tr")
    expect(rows).to_have_count(min(visit_count, PAGE_SIZE))
    batch = DrawBatch.objects.get()
    assert batch.status == BatchStatus.DRAWN, batch.failure
    assert (batch.record["visits"], batch.visits_saved) == (visit_count, visits_saved)

    # when they open a visit both departments make
    joint_row = rows.filter(has_text=MARKET).filter(has_text=HEALTH).first
    entity_name = joint_row.locator("td").nth(1).inner_text().strip()
    joint_row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/draws/visits/\d+/$"))
    expect(page.locator("h1")).to_have_text(entity_name)

    # then it lists both departments' items and a team with inspectors of each
    expect(page.locator("h3", has_text=MARKET)).to_be_visible()
    expect(page.locator("h3", has_text=HEALTH)).to_be_visible()
    expect(page.locator("main li", has_text=MARKET_ITEM)).to_be_visible()
    expect(page.locator("main li", has_text=HEALTH_ITEM)).to_be_visible()
    team = page.locator("#team tbody tr")
    expect(team.filter(has_text=MARKET).filter(has_text="SCJGJ检查员")).not_to_have_count(0)
    expect(team.filter(has_text=HEALTH).filter(has_text="WJW检查员")).not_to_have_count(0)

    # and its notice downloads as a PDF naming the entity
    with page.expect_download() as download_info:
        page.locator("#notice-pdf").click()
    pdf = tmp_path / "notice.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "联合抽查通知书" in text
    assert entity_name in text.replace("\n", "")

    # when anyone, signed out, opens the batch's public page
    _log_out(page)
    page.goto(f"/public/draws/{batch.number}/")

    # then it shows the same commitments and offers the verification kit
    expect(page.locator("h1")).to_have_text(batch.name)
    record = page.locator("dl.record")
    expect(record.get_by_text(population_root, exact=True)).to_be_visible()
    expect(record.get_by_text(design_hash, exact=True)).to_be_visible()
    kit = page.locator("#kit-download")
    expect(kit).to_have_text("下载公开核验材料")
    expect(kit).to_have_attribute("href", f"/public/draws/{batch.number}/kit.zip")
    response = page.request.get(kit.get_attribute("href"))
    assert response.ok and response.body()[:2] == b"PK"


def test_inspector_sees_their_visits_on_a_phone(
    phone_page, approved_joint_check, liaison_zhao, inspector_zhang
):
    # given a joint check drawn through the services (on_commit runs for real here)
    batch = batch_create(
        actor=liaison_zhao,
        name="联合抽查批次",
        joint_check=approved_joint_check,
        tasks=[],
        randomness_source="骰子，见证人：张三、李四",
        randomness_due=ceremony_time(),
    )
    batch = batch_commit(actor=liaison_zhao, batch=batch)
    batch_request_draw(actor=liaison_zhao, batch=batch, randomness=DICE, witnesses="张三")
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAWN, batch.failure

    # and the market inspector on a team is the user inspector_zhang
    member = VisitInspector.objects.filter(visit__batch=batch, department__code="SCJGJ").first()
    Inspector.objects.filter(pk=member.inspector_id).update(user=inspector_zhang)
    visits = (
        VisitInspector.objects.filter(inspector=member.inspector_id, recused_at__isnull=True)
        .select_related("visit__entity")
        .order_by("visit__planned_date", "visit__visit_id")
    )
    expected = [m.visit.entity.name for m in visits]
    assert expected

    # when they sign in on their phone and open 我的检查工作
    login(phone_page, "inspector_zhang", PASSWORD)
    phone_page.get_by_role("link", name="我的检查工作").click()
    expect(phone_page).to_have_url(re.compile(r"/inspections/mine/$"))

    # then every visit of theirs is listed, by entity name
    names = phone_page.locator("#my-work li > a strong")
    expect(names).to_have_text(expected)

    # and nothing sticks out sideways
    widths = phone_page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"page is {widths[0]}px wide on a {widths[1]}px screen"

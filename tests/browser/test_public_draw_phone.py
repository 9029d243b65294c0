"""A citizen and a drawn firm on a phone: the public draw page reads without squeezed columns,
pages through the selection, and the firm opens its own proof with the code on its notice."""

import pytest
from playwright.sync_api import expect

from spotcheck.draws.models import Visit
from spotcheck.draws.publication import format_access_code
from spotcheck.draws.services import batch_commit, batch_create, batch_request_draw
from tests.draw_fixtures import ceremony_time
from tests.queue import run_queued_tasks

pytestmark = pytest.mark.browser


@pytest.fixture
def drawn(approved_joint_check, liaison_zhao):
    batch = batch_create(
        actor=liaison_zhao,
        name="联合抽查批次",
        joint_check=approved_joint_check,
        tasks=[],
        randomness_source="骰子，见证人：张三、李四",
        randomness_due=ceremony_time(),
    )
    batch = batch_commit(actor=liaison_zhao, batch=batch)
    batch_request_draw(actor=liaison_zhao, batch=batch, randomness="6 2 5 1", witnesses="张三")
    run_queued_tasks()
    batch.refresh_from_db()
    assert batch.status == "drawn", batch.failure
    return batch


def test_the_public_draw_page_reflows_and_paginates_on_a_phone(phone_page, drawn):
    page = phone_page
    # when a citizen opens the drawn batch's public page on a phone
    page.goto(f"/public/draws/{drawn.number}/")
    rows = page.locator("#selection tbody tr")
    # then the selection comes a page at a time, each row a readable block as wide as the screen
    expect(rows).to_have_count(min(20, drawn.record["selections"]))
    expect(page.locator(".pager")).to_contain_text("第 1 /")
    for cell in ("td[data-label='名称']", "td[data-label='随机票号']"):
        box = rows.first.locator(cell).bounding_box()
        assert box["width"] > 300, (cell, box)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 8000, height


def test_a_firm_opens_its_proof_with_the_code_on_its_notice(phone_page, drawn):
    page = phone_page
    visit = Visit.objects.filter(batch=drawn).select_related("entity").first()
    page.goto(f"/public/draws/{drawn.number}/")
    # when the firm types the code from its letter, with a typo first
    page.locator("input[name=code]").fill("ABCD")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#proof-error")).to_contain_text("查询码格式不正确")
    page.locator("input[name=code]").fill(format_access_code(visit.access_code))
    page.get_by_role("button", name="查询").click()
    # then it reads its own lines in Chinese and can download the raw proof
    expect(page.locator("h1")).to_have_text("抽查对象证明")
    expect(page.locator("#proof-summary")).to_contain_text("本企业在已承诺的抽查对象名单")
    expect(page.get_by_text(visit.entity.name)).to_be_visible()
    with page.expect_download() as download:
        page.locator("#proof-json").click()
    assert download.value.suggested_filename.endswith("-proof.json")

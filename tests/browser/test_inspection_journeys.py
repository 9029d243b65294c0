"""After the draw, through the browser: an inspector enters a joint visit's result on a phone
with a photo; the market bureau's reviewer returns it, the inspector fixes it, the reviewer
approves it (which opens a follow-up); an approved result is corrected by an amendment shown as
history; the lead department's liaison handles the follow-up and closes it.
"""

import io
import re
import struct
import zlib
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from spotcheck.inspections import services
from spotcheck.inspections.models import FollowUp, ItemResult, ResultCategory, ResultStatus

from .conftest import login

pytestmark = pytest.mark.browser

PASSWORD = "pw"  # the personas of tests/conftest.py and the team logins of joint_visit
MARKET = "东城区市场监督管理局"
MARKET_ITEM = "餐饮服务提供者监督检查"
PROBLEM = "发现问题待后续处理"
CORRECTED = "发现问题已责令改正"
FIRST_FINDING = "后厨地面积水"
FIXED_FINDING = "后厨操作间地面积水，排水沟堵塞；冷藏柜温度12℃，超过规定的0～8℃"
RETURN_REASON = "检查情况过于简略，请写明问题所在位置及冷藏温度"
AMEND_REASON = "复核现场照片，问题已于检查当日当场改正"
CLOSING = "已按期完成整改，复查合格"


def png_photo() -> bytes:
    """A small real PNG: a Pillow image if Pillow is installed, else one written by hand."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow is a dependency today
        width = height = 8
        raw = b"".join(b"\x00" + b"\xc8\x64\x32" * width for _ in range(height))

        def chunk(kind: bytes, data: bytes) -> bytes:
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b"")
        )
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 100, 50)).save(buffer, format="PNG")
    return buffer.getvalue()


def minimal_pdf(text: str = "Rectification order") -> bytes:
    """A one-page PDF 1.4 with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 50 750 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _team(visit):
    """The joint visit's serving inspectors: (the market inspector, the health inspector)."""
    serving = visit.team.filter(recused_at__isnull=True).select_related(
        "inspector__user", "department"
    )
    market = serving.filter(department__code="SCJGJ").order_by("rank", "pk").first()
    health = serving.filter(department__code="WJW").order_by("rank", "pk").first()
    assert market is not None and health is not None, "a joint visit has both departments"
    return market, health


def _label(member) -> str:
    return f"{member.inspector.name}（{member.department.name}）"


def _fits_the_screen(page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]}px wide on a {widths[1]}px screen"


def _accept_confirm(page) -> None:
    page.once("dialog", lambda dialog: dialog.accept())


def test_phone_entry_with_photo_returned_fixed_and_approved(
    phone_page, page, joint_visit, reviewer_li, result_categories, tmp_path
):
    phone = phone_page
    me, colleague = _team(joint_visit)  # the market inspector enters; both confirm
    entity = joint_visit.entity.name
    photo = tmp_path / "后厨积水.png"
    photo.write_bytes(png_photo())

    # given a market inspector of the joint visit, signed in on their phone
    login(phone, me.inspector.user.username, PASSWORD)

    # when they open 我的检查工作 and the visit
    phone.get_by_role("link", name="我的检查工作").click()
    expect(phone).to_have_url(re.compile(r"/inspections/mine/$"))
    card = phone.locator(f"#my-work li[data-visit='{joint_visit.pk}']")
    expect(card).to_contain_text("待检查")
    _fits_the_screen(phone)
    card.get_by_role("link", name=entity).click()
    expect(phone).to_have_url(re.compile(rf"/inspections/visits/{joint_visit.pk}/$"))
    expect(phone.locator("h1")).to_have_text(entity)
    expect(phone.locator("#outcome")).to_have_text("待检查")

    # and tap 到达 (which asks first, saying it cannot be changed), then 完成检查
    phone.once("dialog", lambda dialog: dialog.accept() if "不能修改" in dialog.message else None)
    phone.locator("#arrive").click()
    expect(phone.locator("ul.messages")).to_contain_text("已记录到达时间")
    expect(phone.locator("#arrived-at")).to_be_visible()
    _accept_confirm(phone)
    phone.locator("#complete").click()
    expect(phone.locator("ul.messages")).to_contain_text("已完成现场检查")
    expect(phone.locator("#completed-at")).to_be_visible()
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    expect(phone.locator("#results-due")).to_have_text(due)
    _fits_the_screen(phone)

    # then the health commission's item is listed by name only; the market item opens
    health = phone.locator("section[data-department='WJW']")
    expect(health.get_by_role("link")).to_have_count(0)
    market = phone.locator("section[data-department='SCJGJ']")
    market.get_by_role("link", name=MARKET_ITEM).click()
    expect(phone).to_have_url(re.compile(r"/inspections/results/\d+/$"))
    result_url = phone.url
    expect(phone.locator("h1")).to_have_text(MARKET_ITEM)
    expect(phone.locator("#status")).to_have_text("未录入")
    _fits_the_screen(phone)

    # when they tick a problem found, write the finding, tick two confirming inspectors, save
    form = phone.locator("#result-form")
    form.get_by_label(PROBLEM).check()
    form.get_by_label("检查情况").fill(FIRST_FINDING)
    form.get_by_label(_label(me)).check()
    form.get_by_label(_label(colleague)).check()
    form.get_by_role("button", name="保存").click()
    expect(phone.locator("ul.messages")).to_contain_text("已保存")
    expect(phone.locator("#status")).to_have_text("已录入")

    # and upload a photo taken on site
    expect(phone.locator("#evidence")).to_have_text("暂无证据材料")
    phone.set_input_files("#evidence-file", photo)
    phone.locator("#result-form").get_by_role("button", name="上传证据").click()
    expect(phone.locator("ul.messages")).to_contain_text("证据已上传")

    # then the photo is listed and the entry is kept
    expect(phone.locator("#evidence li")).to_have_count(1)
    expect(phone.locator("#evidence li a")).to_have_text(photo.name)
    form = phone.locator("#result-form")
    expect(form.get_by_label(PROBLEM)).to_be_checked()
    expect(form.get_by_label("检查情况")).to_have_value(FIRST_FINDING)
    expect(form.get_by_label(_label(colleague))).to_be_checked()
    _fits_the_screen(phone)

    # when they submit it for review
    form.get_by_role("button", name="提交审核").click()
    expect(phone.locator("ul.messages")).to_contain_text("已提交审核")
    expect(phone.locator("#status")).to_have_text("待审核")
    expect(phone.locator("#result-form")).to_have_count(0)
    expect(phone.locator("#finding")).to_have_text(FIRST_FINDING)
    _fits_the_screen(phone)

    # when the market bureau's reviewer opens the review queue on a desktop
    login(page, "reviewer_li", PASSWORD)
    page.get_by_role("link", name="结果审核").click()
    expect(page).to_have_url(re.compile(r"/inspections/review/$"))
    queued = page.locator("#queue li.card")
    expect(queued).to_have_count(1)
    expect(queued).to_contain_text(entity)
    expect(queued).to_contain_text(MARKET_ITEM)
    expect(queued).to_contain_text(PROBLEM)
    expect(queued).to_contain_text(FIRST_FINDING)
    expect(queued).to_contain_text("1 份证据")

    # and returns it with a reason
    queued.get_by_label("审核意见").fill(RETURN_REASON)
    queued.get_by_role("button", name="退回").click()
    expect(page.locator("ul.messages")).to_contain_text("已退回")
    expect(page.locator("#queue")).to_have_text("暂无待审核的结果")

    # then the inspector sees the result returned with the reason, and can edit it again
    phone.goto(result_url)
    expect(phone.locator("#status")).to_have_text("已退回")
    expect(phone.locator("#return-reason")).to_contain_text(RETURN_REASON)
    form = phone.locator("#result-form")
    expect(form.get_by_label("检查情况")).to_have_value(FIRST_FINDING)
    expect(phone.locator("#evidence li a")).to_have_text(photo.name)
    _fits_the_screen(phone)

    # when they fix the finding and submit it again
    form.get_by_label("检查情况").fill(FIXED_FINDING)
    form.get_by_role("button", name="提交审核").click()
    expect(phone.locator("ul.messages")).to_contain_text("已提交审核")
    expect(phone.locator("#status")).to_have_text("待审核")
    expect(phone.locator("#return-reason")).to_have_count(0)

    # then it is back in the reviewer's queue with the new finding, and they approve it
    page.reload()
    queued = page.locator("#queue li.card")
    expect(queued).to_have_count(1)
    expect(queued).to_contain_text(FIXED_FINDING)
    page.once("dialog", lambda dialog: dialog.accept() if "不能再修改" in dialog.message else None)
    queued.get_by_role("button", name="通过").click()
    expect(page.locator("ul.messages")).to_contain_text("已审核通过")
    expect(page.locator("#queue")).to_have_text("暂无待审核的结果")

    # and the inspector sees it approved by the reviewer
    phone.goto(result_url)
    expect(phone.locator("#status")).to_have_text("已审核")
    expect(phone.locator("#finding")).to_have_text(FIXED_FINDING)
    expect(phone.locator("dl.record").first).to_contain_text(str(reviewer_li))
    expect(phone.locator("#evidence-file")).to_have_count(0)

    # and the problem found opened a follow-up in the market bureau
    page.get_by_role("link", name="后续处置").click()
    row = page.locator("#follow-ups tbody tr", has_text=entity)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("待确定处置方式")
    expect(row).to_contain_text("未办结")

    result = ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")
    assert result.status == ResultStatus.APPROVED
    assert result.evidence.get().file.read().startswith(b"\x89PNG")
    assert FollowUp.objects.filter(result=result, closed_at__isnull=True).count() == 1


@pytest.fixture
def approved_problem(joint_visit, reviewer_li, result_categories):
    """The joint visit's market result entered, submitted and approved through the services,
    with a problem found (so a follow-up is open)."""
    members = _team(joint_visit)
    inspector = members[0].inspector.user
    services.visit_arrive(actor=inspector, visit=joint_visit)
    services.visit_complete(actor=inspector, visit=joint_visit)
    result = ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")
    services.result_enter(
        actor=inspector,
        result=result,
        categories=list(ResultCategory.objects.filter(code="follow_up")),
        finding=FIXED_FINDING,
        confirmations=[m.pk for m in members],
    )
    services.result_submit(actor=inspector, result=result)
    return services.result_review(actor=reviewer_li, result=result, decision="approve")


def test_amendment_history_and_follow_up_closed(
    phone_page, page, approved_problem, reviewer_li, liaison_zhao, tmp_path
):
    phone = phone_page
    result = approved_problem
    inspector = result.entered_by
    result_url = f"/inspections/results/{result.pk}/"
    entity = result.visit.entity.name
    order = tmp_path / "责令整改通知书.pdf"
    order.write_bytes(minimal_pdf())

    # given the inspector who entered the approved result, on their phone
    login(phone, inspector.username, PASSWORD)
    phone.goto(result_url)
    expect(phone.locator("#status")).to_have_text("已审核")
    expect(phone.locator("#result-form")).to_have_count(0)
    expect(phone.locator("#history")).to_have_count(0)

    # when they propose a correction with a reason
    amend = phone.locator("#amend")
    amend.locator("summary").click()
    amend.get_by_label("更正原因").fill(AMEND_REASON)
    expect(amend.get_by_label(PROBLEM)).to_be_checked()  # it starts from the approved values
    expect(amend.get_by_label("检查情况")).to_have_value(FIXED_FINDING)
    amend.get_by_label(PROBLEM).uncheck()
    amend.get_by_label(CORRECTED).check()
    amend.get_by_label("处理措施").fill("当场责令清理积水、调整冷藏柜温度")
    amend.get_by_role("button", name="提交更正申请").click()

    # then the approved result is unchanged and the proposal waits in the history
    expect(phone.locator("ul.messages")).to_contain_text("已提出更正，待审核")
    expect(phone.locator("#status")).to_have_text("已审核")
    history = phone.locator("#history tbody tr")
    expect(history).to_have_count(1)
    expect(history).to_contain_text(AMEND_REASON)
    expect(history).to_contain_text("待审核")
    expect(history.get_by_role("button", name="同意更正")).to_have_count(0)  # not theirs to decide
    _fits_the_screen(phone)

    # when the reviewer finds it among the amendments to review and agrees
    login(page, "reviewer_li", PASSWORD)
    page.get_by_role("link", name="结果审核").click()
    pending = page.locator("#amendment-queue li.card")
    expect(pending).to_have_count(1)
    expect(pending).to_contain_text(f"原结果：{PROBLEM}")
    expect(pending).to_contain_text(f"更正为：{CORRECTED}")
    expect(pending).to_contain_text(AMEND_REASON)
    pending.get_by_role("button", name="同意更正").click()
    expect(page.locator("ul.messages")).to_contain_text("更正已生效")
    expect(page.locator("#amendment-queue")).to_have_count(0)

    # then the result page keeps the original and shows the amendment as history
    phone.goto(result_url)
    expect(phone.locator("#status")).to_have_text("已审核")
    expect(phone.get_by_role("heading", name="原始结果")).to_be_visible()
    expect(phone.locator("#result-record")).to_contain_text(PROBLEM)
    expect(phone.locator("#finding")).to_have_text(FIXED_FINDING)
    expect(phone.locator("#effective")).to_have_text(CORRECTED)
    row = phone.locator("#history tbody tr")
    expect(row).to_have_count(1)
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text(str(inspector))
    expect(cells.nth(2)).to_have_text(AMEND_REASON)
    expect(cells.nth(3)).to_contain_text(CORRECTED)
    expect(cells.nth(4)).to_contain_text("已生效")
    expect(cells.nth(4)).to_contain_text(str(reviewer_li))
    _fits_the_screen(phone)

    # when the lead department's liaison opens 后续处置 and the open follow-up
    login(page, "liaison_zhao", PASSWORD)
    page.get_by_role("link", name="后续处置").click()
    expect(page).to_have_url(re.compile(r"/inspections/follow-ups/$"))
    page.locator("#follow-ups tbody tr", has_text=entity).get_by_role("link", name=entity).click()
    expect(page).to_have_url(re.compile(r"/inspections/follow-ups/\d+/$"))
    record = page.locator("#follow-up")
    expect(record).to_contain_text(MARKET_ITEM)
    expect(record).to_contain_text(FIXED_FINDING)
    expect(record).to_contain_text("待确定处置方式")
    expect(record).to_contain_text("未办结")

    # and orders rectification with a deadline
    deadline = (timezone.localdate() + timedelta(days=15)).isoformat()
    kind_form = page.locator("#kind-form")
    kind_form.get_by_label("处置方式").select_option(label="责令整改")
    kind_form.get_by_label("整改期限").fill(deadline)
    kind_form.get_by_label("处置说明").fill("责令15日内清理排水沟并维修冷藏柜")
    kind_form.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messages")).to_contain_text("处置方式已保存")
    expect(record).to_contain_text("责令整改")
    expect(record).to_contain_text(deadline)

    # and uploads the rectification order
    document_form = page.locator("#document-form")
    document_form.get_by_label("文书名称").fill("责令整改通知书")
    document_form.locator("input[type=file]").set_input_files(order)
    document_form.get_by_role("button", name="上传").click()
    expect(page.locator("ul.messages")).to_contain_text("文书已上传")
    documents = page.locator("#documents li")
    expect(documents).to_have_count(1)
    expect(documents.get_by_role("link")).to_have_text("责令整改通知书")
    with page.expect_download() as download_info:
        documents.get_by_role("link").click()
    downloaded = tmp_path / "downloaded.pdf"
    download_info.value.save_as(downloaded)
    assert downloaded.read_bytes() == order.read_bytes()

    # and closes it with its result
    page.locator("#close-form").get_by_label("办结结果").fill(CLOSING)
    _accept_confirm(page)
    page.locator("#close-form").get_by_role("button", name="办结").click()
    expect(page.locator("ul.messages")).to_contain_text("后续处置已办结")

    # then it shows as closed, with its result, and can no longer be changed
    expect(record).to_contain_text("已办结")
    expect(record).to_contain_text(CLOSING)
    expect(record).to_contain_text(str(liaison_zhao))
    expect(page.locator("#kind-form")).to_have_count(0)
    expect(page.locator("#close-form")).to_have_count(0)
    page.get_by_role("link", name="返回后续处置列表").click()
    expect(page.locator("#follow-ups tbody")).to_have_text("暂无后续处置")
    page.get_by_role("link", name="已办结").click()
    closed = page.locator("#follow-ups tbody tr", has_text=entity)
    expect(closed).to_contain_text("责令整改")
    expect(closed).to_contain_text("已办结")

    follow_up = FollowUp.objects.get(result=result)
    assert follow_up.closed_by == liaison_zhao and follow_up.closing_result == CLOSING

"""Nothing typed on the result form is lost when a photo is uploaded, before or after typing,
on a phone or a desktop; contradictory categories are refused on the page, typing kept."""

import pytest
from playwright.sync_api import expect

from spotcheck.inspections import services
from spotcheck.inspections.models import ItemResult

from .conftest import login
from .test_inspection_journeys import PASSWORD, PROBLEM, _label, _team, png_photo

pytestmark = pytest.mark.browser

FINDING = "后厨操作间地面积水，冷藏柜温度12℃"


@pytest.fixture(params=["phone_page", "page"])
def any_page(request):
    return request.getfixturevalue(request.param)


def _open_result(page, joint_visit):
    me, colleague = _team(joint_visit)
    services.ensure_results(joint_visit)
    result = ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")
    login(page, me.inspector.user.username, PASSWORD)
    page.goto(f"/inspections/results/{result.pk}/")
    return page.locator("#result-form"), me, colleague


def test_typed_finding_and_ticks_survive_a_photo_upload(any_page, joint_visit, tmp_path):
    page = any_page
    photo = tmp_path / "现场.png"
    photo.write_bytes(png_photo())
    form, me, colleague = _open_result(page, joint_visit)

    # given an inspector who ticked a category and two inspectors and typed the finding
    form.get_by_label(PROBLEM).check()
    form.get_by_label("检查情况").fill(FINDING)
    form.get_by_label(_label(me)).check()
    form.get_by_label(_label(colleague)).check()

    # when they upload a photo before saving
    page.set_input_files("#evidence-file", str(photo))
    form.get_by_role("button", name="上传证据").click()

    # then the photo is listed and everything typed and ticked is still there, marked unsaved
    expect(page.locator("ul.messages")).to_contain_text("证据已上传")
    expect(page.locator("ul.messages")).to_contain_text("填写的内容尚未保存")
    expect(page.locator("#evidence li a")).to_have_text(photo.name)
    form = page.locator("#result-form")
    expect(form.get_by_label(PROBLEM)).to_be_checked()
    expect(form.get_by_label("检查情况")).to_have_value(FINDING)
    expect(form.get_by_label(_label(me))).to_be_checked()
    expect(form.get_by_label(_label(colleague))).to_be_checked()

    # and saving afterwards keeps it all
    form.get_by_role("button", name="保存").click()
    expect(page.locator("ul.messages")).to_contain_text("已保存")
    result = ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ")
    assert result.finding == FINDING
    assert [c.name for c in result.categories.all()] == [PROBLEM]


def test_a_photo_chosen_first_is_uploaded_with_the_save(any_page, joint_visit, tmp_path):
    page = any_page
    photo = tmp_path / "门头.png"
    photo.write_bytes(png_photo())
    form, _me, _colleague = _open_result(page, joint_visit)

    # given an inspector who picks the photo first, then types and ticks
    page.set_input_files("#evidence-file", str(photo))
    form.get_by_label(PROBLEM).check()
    form.get_by_label("检查情况").fill(FINDING)

    # when they save
    form.get_by_role("button", name="保存").click()

    # then both the photo and the finding are kept
    expect(page.locator("ul.messages")).to_contain_text("证据已上传")
    expect(page.locator("ul.messages")).to_contain_text("已保存")
    expect(page.locator("#evidence li a")).to_have_text(photo.name)
    expect(page.locator("#result-form").get_by_label("检查情况")).to_have_value(FINDING)


def test_contradictory_categories_are_refused_with_the_typing_kept(any_page, joint_visit):
    page = any_page
    form, _me, _colleague = _open_result(page, joint_visit)
    form.get_by_label("未发现问题").check()
    form.get_by_label("注销", exact=True).check()
    form.get_by_label("检查情况").fill("门店已关闭")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("#result-form .errorlist")).to_contain_text(
        "“未发现问题”不能与“注销”同时选择"
    )
    expect(page.locator("#result-form").get_by_label("检查情况")).to_have_value("门店已关闭")
    assert ItemResult.objects.get(visit=joint_visit, department__code="SCJGJ").finding == ""

"""Each role starts from its to-do list, on a phone and on a desktop; screenshots of every home
are kept under test-artifacts/homes/ for people to look at."""

import re
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from playwright.sync_api import expect

from spotcheck.accounts.models import User

from .conftest import login

pytestmark = pytest.mark.browser

ARTIFACTS = Path(settings.ROOT_DIR) / "test-artifacts" / "homes"


@pytest.fixture(params=["page", "phone_page"])
def any_page(request):
    viewport = "phone" if request.param == "phone_page" else "desktop"
    return request.getfixturevalue(request.param), viewport


def test_every_role_starts_from_its_to_do_list(
    any_page, joint_visit, reviewer_li, liaison_zhao, office_admin_wang
):
    page, viewport = any_page
    inspector = joint_visit.team.filter(department__code="SCJGJ").first().inspector.user
    homes = {
        inspector.username: ("todo-visits", joint_visit.entity.name),
        "reviewer_li": ("todo-review", "暂无待审核的结果"),
        "liaison_zhao": ("todo-tasks", "没有未完成的抽查任务"),
        "office_admin_wang": ("todo-approvals", "没有待审批的联合抽查"),
    }
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with time_machine.travel(joint_visit.planned_date):
        for username, (section, text) in homes.items():
            user = User.objects.get(username=username)
            login(page, username, "pw")
            expect(page.locator("h1")).to_have_text("工作台")
            expect(page.locator(f"#{section}")).to_contain_text(text)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= page.viewport_size["width"], f"{username}'s home is {width}px wide"
            page.screenshot(path=str(ARTIFACTS / f"{user.role}-{viewport}.png"), full_page=True)
            page.context.clear_cookies()


def test_a_visitor_lands_on_the_public_site_and_the_tab_has_an_icon(page, db):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/public/items/$"))
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(icon).ok

"""Bulk notices in the browser: the click queues a background job, the page shows a progress
bar polled by htmx, then a download link; on a desktop and on a phone."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from spotcheck.draws.models import Visit
from tests.queue import run_queued_tasks

from .conftest import HeldRequests, login

pytestmark = pytest.mark.browser


@pytest.fixture(params=["page", "phone_page"])
def any_page(request):
    return request.getfixturevalue(request.param)


def test_bulk_pdf_notices_come_from_a_job_with_progress_and_a_link(
    any_page, drawn_batch, liaison_zhao
):
    page = any_page
    # given the lead liaison on the drawn batch's page
    login(page, "liaison_zhao", "pw")
    page.goto(f"/draws/{drawn_batch.pk}/")

    # when they ask for every notice as PDF (the worker is held back)
    polls = HeldRequests(page, re.compile(r".*/draws/notices/\d+/$"))
    page.get_by_role("button", name="批量下载通知书（PDF）").click()

    # then a progress page answers at once
    expect(page).to_have_url(re.compile(r"/draws/notices/\d+/$"))
    expect(page.locator("h1")).to_have_text("批量通知书（PDF）")
    expect(page.locator("#archive-bar")).to_be_visible()
    expect(page.locator("#archive-count")).to_have_text("排队中……")

    # when the worker has built the letters, the polled fragment brings the download link
    run_queued_tasks()
    polls.release()
    link = page.locator("#archive-download")
    expect(link).to_be_visible(timeout=15_000)
    total = Visit.objects.filter(batch=drawn_batch).count()
    expect(page.locator("#archive")).to_contain_text(f"已生成 {total} 份通知书")
    with page.expect_download() as download:
        link.click()
    names = zipfile.ZipFile(download.value.path()).namelist()
    assert len(names) == total and all(name.endswith(".pdf") for name in names)

"""Browser-test harness: Playwright (sync API) driving Debian's chromium against `live_server`.

Mark every test here ``@pytest.mark.browser`` (``-m "not browser"`` skips them). The browser
is started once per pytest process (so once per xdist worker); each test gets a fresh browser
context, hence fresh cookies and storage. A failing test leaves a full-page screenshot in
``var/browser-failures/``; a missing stylesheet, script or image, or an uncaught JavaScript
error, fails the test that met it.
"""

import importlib
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as django_settings

# Playwright's sync API runs an asyncio loop in the test thread; Django would otherwise refuse
# ORM calls made from that thread ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"  # Debian's package; never a browser Playwright downloaded
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000
FAILURES_DIR = Path(django_settings.ROOT_DIR) / "var" / "browser-failures"


def pytest_collection_modifyitems(items):
    """Browser tests run last in each process (and so in each xdist worker).

    The live server's thread lives until the session ends; tests that fork() (the draw's
    multiprocessing) must not run beside it.
    """
    here = Path(__file__).parent
    items.sort(key=lambda item: here in Path(item.path).parents)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item so fixtures can see whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (apt install chromium)"
        )
    with sync_playwright() as playwright:
        # launch() gives the browser a fresh, temporary user-data dir, removed on close.
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def _new_page(browser, request, **context_options):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = _watch_for_broken_pages(page)
    yield page
    failed = any(
        getattr(request.node, f"report_{when}", None) is not None
        and getattr(request.node, f"report_{when}").failed
        for when in ("setup", "call")
    )
    if failed:
        for problem in problems:
            print(f"the page was broken: {problem}")
        FAILURES_DIR.mkdir(parents=True, exist_ok=True)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        path = FAILURES_DIR / f"{name}-{worker}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
            print(f"screenshot of the failure: {path}")
        except Exception as error:  # a crashed page must not hide the test's own error
            print(f"could not save a screenshot: {error}")
    context.close()
    if problems and not failed:
        pytest.fail("the page was broken:\n" + "\n".join(problems), pytrace=False)


#: Sub-resources a page cannot work without; a 404 on one means unstyled or dead pages.
ASSET_TYPES = {"stylesheet", "script", "image", "font"}


def _watch_for_broken_pages(page) -> list[str]:
    """Uncaught JavaScript errors and missing CSS/JS/images, reported when the test ends."""
    problems: list[str] = []

    def on_response(response) -> None:
        if response.status >= 400 and response.request.resource_type in ASSET_TYPES:
            problems.append(
                f"{response.status} for {response.request.resource_type} {response.url}"
            )

    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    return problems


@pytest.fixture
def page(browser, live_server, transactional_db, request):
    """A desktop-sized page; relative URLs go to the live server."""
    yield from _new_page(browser, request, viewport=DESKTOP, base_url=live_server.url)


@pytest.fixture
def phone_page(browser, live_server, transactional_db, request):
    """A phone-sized touch page (390×844, like an iPhone 14), for inspectors' journeys."""
    yield from _new_page(
        browser,
        request,
        viewport=PHONE,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )


class Confirmations:
    """Accepts the next confirmation dialogs and keeps what they said, to assert on."""

    def __init__(self, page) -> None:
        self.messages: list[str] = []
        page.on("dialog", self._accept)

    def _accept(self, dialog) -> None:
        self.messages.append(dialog.message)
        dialog.accept()


def login(page, username: str, password: str) -> None:
    """Sign in through the login form and wait for the home page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    base = page.url.split("/", 3)
    assert len(base) == 4 and base[3] == "", f"login did not land on / but on {page.url}"


class HeldRequests:
    """Holds the page's requests to `pattern` in the browser until `release()`.

    On SQLite the live server shares the test thread's in-memory connection, so the two must
    not run queries at once: hold the page's polling while the worker runs in the test thread.
    Route handlers only run while the test is inside a Playwright call, never during the worker.
    """

    def __init__(self, page, pattern: str) -> None:
        self.held: list = []
        self.released = False
        page.route(pattern, self._handle)

    def _handle(self, route) -> None:
        if self.released:
            route.continue_()
        else:
            self.held.append(route)

    def release(self) -> None:
        self.released = True
        for route in self.held:
            route.continue_()
        self.held.clear()


@pytest.fixture(autouse=True)
def result_categories(transactional_db):
    """The standard result categories come from a data migration; a transactional test that ran
    earlier in this process flushed them, so they are put back (idempotently) here."""
    migration = importlib.import_module(
        "spotcheck.inspections.migrations.0002_standard_result_categories"
    )
    migration.add(apps, None)
    importlib.import_module(
        "spotcheck.inspections.migrations.0003_result_category_rules"
    ).add_rules(apps, None)


@pytest.fixture(autouse=True)
def timetable_milestones(transactional_db):
    """The yearly timetable's rows come from a data migration, flushed the same way."""
    importlib.import_module("spotcheck.stats.migrations.0004_luyuan_timetable").add(apps, None)

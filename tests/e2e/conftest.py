"""Browser tests: a real Chromium, driven by Playwright, against pytest-django's live server.

Run with ``pytest tests/e2e``. They use Debian's chromium (/usr/bin/chromium), never a
browser Playwright downloads. Static files come from static_build/ (scripts/build-frontend).
"""

import re
from pathlib import Path

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect, sync_playwright

from tests.factories import PASSWORD
from tests.second_factor import code_for, code_for_secret

SECOND_FACTOR_PATH = "/accounts/second-factor/"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
RESULTS_DIR = Path(__file__).resolve().parents[2] / "test-results"

expect.set_options(timeout=5_000)


@pytest.fixture(scope="session", autouse=True)
def _static_build():
    static_build = Path(__file__).resolve().parents[2] / "static_build"
    if not (static_build / "nhsuk" / "nhsuk-frontend.min.js").exists():
        pytest.fail("static_build/ is missing: run scripts/build-frontend first")


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls
    # under a running loop unless told they are safe. They are: the tests are plain synchronous
    # code. Per module, not per session, so the Django tests after these find neither.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def new_page(browser, request):
    """Make pages, each in its own browser context (its own cookies: its own person)."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield make

    failed = getattr(request.node, "rep_call", None) and request.node.rep_call.failed
    for n, context in enumerate(contexts):
        if failed:
            RESULTS_DIR.mkdir(exist_ok=True)
            for m, page in enumerate(context.pages):
                page.screenshot(path=RESULTS_DIR / f"{request.node.name}-{n}-{m}.png", full_page=True)
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


def login(page: Page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    if SECOND_FACTOR_PATH in page.url:
        pass_second_factor(page, username)


def pass_second_factor(page: Page, username: str) -> None:
    """As a manager or administrator does: a code from the authenticator app set up with the secret the
    enrolment page shows, or (already set up) from the device's key, as their phone holds it."""
    secret = page.locator("#totp-secret")
    if secret.count():
        code = code_for_secret(secret.inner_text())
    else:
        code = code_for(TOTPDevice.objects.get(user__username=username, confirmed=True))
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page).not_to_have_url(re.compile(re.escape(SECOND_FACTOR_PATH)))


def header_link(page: Page, name: str):
    """A link in the header's menu. With many links the NHS.UK header folds the last ones into "More"."""
    menu = page.get_by_role("navigation", name="Menu")
    link = menu.get_by_role("link", name=name)
    if not link.is_visible():
        menu.get_by_role("button", name="More").click()
    return link


def fill_date(page: Page, legend: str, typed: str) -> None:
    """Type a date as a person does into the day, month and year boxes under ``legend`` ("3 4 1948"),
    and a time into the fourth box when one is given ("3 4 2026 14:30")."""
    group = page.get_by_role("group", name=legend, exact=True)
    parts = typed.split()
    for box, value in zip(("Day", "Month", "Year", "Time"), parts):
        group.get_by_label(box, exact=True).fill(value)

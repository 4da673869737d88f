"""The work screens on a desk monitor (1,600 px) and a visiting clinician's phone (390 px): full
width on the one, no sideways page scroll and no accessibility violation on the other. Screenshots
of each go to test-artifacts/ (not kept in git) for a person to look at."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.axe import axe_installed, violations
from tests.e2e.conftest import login
from tests.e2e.demo import demo_loaded

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESK, PHONE = 1600, 390

# (username, screen name, path or a key of demo_loaded's paths, keep a screenshot)
SCREENS = [
    ("clinician.physical", "queue", "/queues/physical-health/", True),
    ("toc", "board", "/toc/", True),
    ("toc", "toc-capacity", "/toc/capacity/", False),
    ("manager", "dashboard", "/dashboard/", True),
    ("manager", "capacity", "/capacity/", False),
    ("teamlead", "episode", "episode", False),
]
# Forms in the 960-pixel column that are also filled in on a phone: (username, screen name, path).
PHONE_FORMS = [
    ("teamlead", "record a visit", "visit"),
    ("toc", "register entry", "entry"),
    ("callhandler", "log a contact", "/contacts/new/"),
    ("callhandler", "referral form", "referral_form"),
]


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


# The innermost elements reaching past the right edge: what to fix when a page scrolls sideways.
TOO_WIDE = """(width) => Array.from(document.querySelectorAll("body *"))
  .filter(el => el.getBoundingClientRect().right > width + 1 && el.children.length === 0)
  .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\\s+/).join(".") : "")
    + " (" + Math.round(el.getBoundingClientRect().right) + " px)")"""


def test_work_screens_fill_a_desk_monitor_and_fit_a_phone(live_server, new_page):
    paths = demo_loaded()
    ARTIFACTS.mkdir(exist_ok=True)
    pages: dict[str, Page] = {}
    problems = []

    def signed_in(username: str) -> Page:
        if username not in pages:
            pages[username] = new_page()
            axe_installed(pages[username].context)
            login(pages[username], live_server, username)
        return pages[username]

    def on_a_phone(page: Page, name: str, url: str) -> None:
        page.set_viewport_size({"width": PHONE, "height": 844})
        page.goto(url)
        if page_width(page) > PHONE:
            too_wide = ", ".join(page.evaluate(TOO_WIDE, PHONE))
            problems.append(f"{name} at {PHONE} px: the page scrolls sideways ({page_width(page)} px wide): {too_wide}")
        problems.extend(f"{name} at {PHONE} px:{line}" for line in violations(page))

    for username, name, path, keep in SCREENS:
        page = signed_in(username)
        url = live_server.url + paths.get(path, path)

        page.set_viewport_size({"width": DESK, "height": 1000})
        page.goto(url)
        main_width = page.locator("main").bounding_box()["width"]
        if main_width < 1400:
            problems.append(f"{name} at {DESK} px: the content is {main_width:.0f} px wide, not the full width")
        if keep:
            page.screenshot(path=ARTIFACTS / f"{name}-{DESK}.png", full_page=True)

        on_a_phone(page, name, url)
        if keep:
            page.screenshot(path=ARTIFACTS / f"{name}-{PHONE}.png", full_page=True)

    for username, name, path in PHONE_FORMS:
        on_a_phone(signed_in(username), name, live_server.url + paths.get(path, path))

    assert not problems, "\n".join(problems)

"""The work screens on a desk monitor (1,600 px) and a visiting clinician's phone (390 px): full
width on the one, no sideways page scroll and no accessibility violation on the other. Screenshots
of each go to test-artifacts/ (not kept in git) for a person to look at."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e.axe import axe_installed, violations
from tests.e2e.conftest import login
from tests.e2e.demo import demo_loaded
from tests.e2e.screens import DESK, PHONE, sideways_scroll

pytestmark = pytest.mark.e2e

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

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
        problems.extend(sideways_scroll(page, url, name))
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

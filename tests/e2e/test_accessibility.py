"""Every main page, as each role that uses it, checked by axe-core for WCAG 2.2 AA (no serious or
critical violation) and landmarks. One browser, the demo data loaded once, one signed-in page per person.

Each page is opened, then checked as it stands; a failure lists every page's findings at once.
Pages added by later work go in PAGES or EMPTY_FORMS; a page about one row takes its path from
tests/e2e/demo.py."""


import pytest
from playwright.sync_api import Page, expect

from ccc.models import User
from tests import factories
from tests.e2e.axe import axe_installed, violations
from tests.e2e.conftest import login
from tests.e2e.demo import demo_loaded
from tests.e2e.screens import sideways_scroll

pytestmark = pytest.mark.e2e


# Forms sent empty, to check each page again with its error summary: {username: [(page name, path)]}.
EMPTY_FORMS = {
    "callhandler": [("Log a contact", "/contacts/new/"), ("Add a patient", "/patients/new/"),
                    ("Referral form", "referral_form")],
    "toc": [("Register a patient", "/toc/register/")],
    "referrer.gp": [("Send a referral", "/track/send/")],
    "teamlead": [("Record a visit", "visit")],
}

# Who looks at which pages: (username, [(page name, path or a key of demo_loaded's paths)]).
PAGES = [
    ("callhandler", [
        ("Home", "/"),
        ("Log a contact", "/contacts/new/"),
        ("Contacts", "/contacts/"),
        ("Contact", "contact"),
        ("Find a patient", "/referrals/new/"),
        ("Find a patient: results", "/referrals/new/?name=Smith"),
        ("Add a patient", "/patients/new/"),
        ("Referral form", "referral_form"),
        ("Referral", "referral"),
        ("Patient", "patient"),
        ("Call-backs", "/call-backs/"),
        ("Referrals", "/referrals/"),
        ("Transport", "/transport/"),
        ("Notifications", "/notifications/"),
        ("Follow-up calls", "/follow-up-calls/"),
        ("Directory search", "/directory/?text=falls"),
        ("Directory service", "service"),
        ("Not found (404)", "/no-such-page/"),
        ("Refused (403)", "/access-log/"),
    ]),
    ("clinician.physical", [
        ("Home", "/"),
        ("Duty queues", "/queues/"),
        ("Queue", "/queues/physical-health/"),
        ("Queue on paper", "/paper/queues/physical-health/"),
    ]),
    ("teamlead", [  # the demo's Integrated Rapid Response episode is theirs
        ("Episodes", "/irr/"),
        ("Episode", "episode"),
        ("Plan a visit", "visit_plan"),
        ("Rota", "/queues/mental-health/rota/"),
        ("Record a visit", "visit"),
        ("Today's visits on paper", "/paper/visits/"),
    ]),
    ("toc", [
        ("Transfer of Care board", "/toc/"),
        ("Register a patient", "/toc/register/"),
        ("Register entry", "entry"),
        ("Capacity today", "/toc/capacity/"),
        ("Inpatients", "/toc/inpatients/"),
        ("Stranded patients", "/toc/stranded/"),
        ("Discharge figures", "/toc/figures/"),
        ("Bed occupancy", "/toc/occupancy/"),
        ("Transfer of Care board on paper", "/paper/toc-board/"),
    ]),
    ("manager", [
        ("Dashboard", "/dashboard/"),
        ("Escalations", "/escalations/"),
        ("Live capacity", "/capacity/"),
        ("Access log", "/access-log/"),
        ("System level", "/system/"),
    ]),
    ("directory", [
        ("Services due for review", "/directory/review/"),
        ("Organisations", "/directory/organisations/"),
        ("Edit a service", "service_edit"),
    ]),
    ("referrer.gp", [
        ("Track referrals", "/track/"),
        ("Send a referral", "/track/send/"),
    ]),
]


def checked(page: Page, name: str, url: str, found: dict[str, list[str]], reload: bool = True) -> None:
    if reload:
        response = page.goto(url)
        # A page that sent us to log in, or failed, would pass unchecked.
        assert "/accounts/login/" not in page.url or "/accounts/login/" in url, f"{name}: sent to log in"
        expected = next((code for code in (403, 404) if f"({code})" in name), 200)
        assert response.status == expected, f"{name}: answered {response.status}"
    lines = violations(page, landmarks=True)
    if reload and "on paper" not in name:  # and on a phone, nothing pushes the page sideways (paper is A4)
        lines += sideways_scroll(page, url, name)
    if lines:
        found[f"{name} ({url})"] = lines


def checked_with_errors(page: Page, name: str, url: str, found: dict[str, list[str]]) -> None:
    page.goto(url)
    page.locator('main form[method="post"]').last.locator('button[type="submit"]').last.click()
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    checked(page, f"{name} with errors", page.url, found, reload=False)


def test_every_main_page_has_no_serious_or_critical_wcag_violation(live_server, new_page):
    paths = demo_loaded()
    found: dict[str, list[str]] = {}

    anonymous = new_page()
    axe_installed(anonymous.context)
    checked(anonymous, "Log in", f"{live_server.url}/accounts/login/", found)

    for username, pages in PAGES:
        page = new_page()
        axe_installed(page.context)
        login(page, live_server, username)
        for name, path in pages:
            checked(page, f"{name}, as {username}", live_server.url + paths.get(path, path), found)
        if username == "clinician.physical":
            # The triage page needs an item the clinician holds: claim the next one, as they would.
            page.goto(f"{live_server.url}/queues/physical-health/")
            page.get_by_role("button", name="Claim next referral").click()
            page.wait_for_url("**/triage/")
            checked(page, "Triage, as clinician.physical", page.url, found)
        for name, path in EMPTY_FORMS.get(username, []):
            checked_with_errors(page, f"{name}, as {username}", live_server.url + paths.get(path, path), found)

    report = "\n".join(f"{page}:\n" + "\n".join(lines) for page, lines in found.items())
    assert not found, f"axe-core found serious or critical WCAG 2.2 AA violations, or content outside landmarks, on {len(found)} pages:\n{report}"


def test_the_queue_announces_a_changed_count_not_the_whole_table(live_server, page):
    queue = factories.duty_queue(code="physical-health", name="Physical health duty queue")
    falls = factories.need(queue=queue, code="falls", name="Falls")
    handler = factories.user(User.Role.CALL_HANDLER)
    factories.referral(need=falls, actor=handler)
    login(page, live_server, factories.user(User.Role.DUTY_CLINICIAN, queues=[queue]).username)
    page.goto(f"{live_server.url}/queues/physical-health/")
    expect(page.locator("[aria-live]:has([data-testid='queue-items'])")).to_have_count(0)

    factories.referral(need=falls, actor=handler)
    page.evaluate("window.cccRefreshQueue()")
    expect(page.get_by_role("status").filter(has_text="of 2 open referrals")).to_have_count(1)

"""The referral journey in a real browser: what a call handler, a duty clinician and an
administrator see and do, with real clicks and keys."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from ccc.models import User
from tests import factories
from tests.e2e.conftest import fill_date, header_link, login

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"R\d{6}")


def queues():
    physical = factories.duty_queue(code="physical-health", name="Physical health duty queue", triage_target_minutes=120)
    mental = factories.duty_queue(code="mental-health", name="Mental health duty queue", triage_target_minutes=240)
    falls = factories.need(queue=physical, code="falls", name="Falls")
    factories.need(queue=mental, code="mh-crisis", name="Mental health crisis", group="Mental health")
    return physical, mental, falls


def timeline_kinds(page: Page) -> list[str]:
    items = page.get_by_role("list", name="Timeline").get_by_role("listitem")
    return [text.strip() for text in items.locator("strong").all_inner_texts()]


def fill_referral(page: Page, need: str = "Falls", reason: str = "Fell at home twice this week, lives alone"):
    page.get_by_role("radio", name="GP", exact=True).check()
    page.get_by_label("Referrer's name").fill("Dr Amara Okafor")
    page.get_by_label("Need or service").select_option(label=need)
    page.get_by_label("Reason for referral").fill(reason)
    page.get_by_role("button", name="Record referral").click()


def no_risk(page: Page) -> None:
    """The triage form's risk assessment (issue 5), answered: nothing identified."""
    for group in ("Risk to self", "Risk to others", "Risk from others"):
        page.get_by_role("group", name=group, exact=True).get_by_role("radio", name="None identified").check()


def success_banner(page: Page):
    return page.get_by_role("status").filter(has_text="Success")


def test_a_call_handler_refers_and_a_duty_clinician_triages(live_server, new_page):
    physical, _, _ = queues()
    factories.gp_practice(name="Ash Tree Surgery", ods_code="Y12345")
    handler = factories.user(User.Role.CALL_HANDLER, first_name="Sam", last_name="Caller")
    clinician = factories.user(
        User.Role.DUTY_CLINICIAN, queues=[physical], first_name="Priya", last_name="Shah"
    )

    # (a) The call handler finds nobody, adds the patient and records the referral.
    page = new_page()
    login(page, live_server, handler.username)
    header_link(page, "New referral").click()
    expect(page.get_by_role("heading", name="Find the patient")).to_be_visible()
    page.get_by_label("NHS number").fill("999 000 0018")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="No matching patients")).to_be_visible()

    page.get_by_role("link", name="Add a new patient").click()
    expect(page.get_by_role("heading", name="Add a new patient")).to_be_visible()
    page.get_by_label("NHS number (if known)").fill("999 000 0018")
    page.get_by_label("First name").fill("Margaret")
    page.get_by_label("Last name").fill("Holloway")
    fill_date(page, "Date of birth", "3 4 1948")
    page.get_by_label("Address").fill("12 Mill Lane\nHeadingley\nLeeds")
    page.get_by_label("Postcode").fill("ls6 2ab")
    page.get_by_label("Registered GP practice").select_option(label="Ash Tree Surgery (Y12345)")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Referral for Margaret Holloway")).to_be_visible()
    expect(page.get_by_text("999 000 0018")).to_be_visible()
    expect(page.get_by_text("3 April 1948")).to_be_visible()
    fill_referral(page)

    banner = success_banner(page)
    expect(banner).to_contain_text("sent to Physical health duty queue")
    reference = REFERENCE.search(banner.inner_text()).group()
    expect(page.get_by_role("heading", name="Margaret Holloway: Falls")).to_be_visible()
    expect(page.get_by_text(f"Referral {reference}", exact=True)).to_be_visible()
    expect(page.get_by_test_id("referral-status")).to_have_text("Waiting")
    assert timeline_kinds(page) == ["Received", "Routed"]
    timeline = page.get_by_role("list", name="Timeline")
    expect(timeline).to_contain_text("Received by Sam Caller from GP Dr Amara Okafor")
    expect(timeline).to_contain_text("Routed to Physical health duty queue for Falls")

    # (b) The duty clinician, in their own browser, claims it from the queue and triages it.
    page = new_page()
    login(page, live_server, clinician.username)
    header_link(page, "Duty queues").click()
    page.get_by_role("link", name="Physical health duty queue").click()
    expect(page.get_by_role("heading", name="Physical health duty queue", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Margaret Holloway")
    expect(row).to_contain_text("Falls")
    expect(row).to_contain_text("Waiting")
    page.screenshot(path="/tmp/e2e-queue.png", full_page=True)

    page.get_by_role("button", name="Claim next referral").click()
    expect(page.get_by_role("heading", name="Triage Margaret Holloway")).to_be_visible()
    expect(success_banner(page)).to_contain_text(f"You have claimed referral {reference}")
    expect(page.get_by_text("Not claimed by you")).to_have_count(0)
    page.get_by_role("radio", name="Urgent", exact=True).check()
    no_risk(page)
    page.get_by_role("radio", name="Accept for rapid response").check()
    page.get_by_label("Clinical note").fill("Two falls in a week, lives alone. Rapid response visit today.")
    page.get_by_role("button", name="Record triage decision").click()

    # Issue 5: accepting goes on to open the IRR episode; the referral is a link away.
    expect(success_banner(page)).to_contain_text(f"Triage decision recorded for referral {reference}")
    expect(page.get_by_role("heading", name="Open an IRR episode for Margaret Holloway")).to_be_visible()
    page.get_by_role("link", name=f"Back to referral {reference}").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Triaged")
    decision = page.locator(".nhsuk-card").filter(has=page.get_by_role("heading", name="Triage decision"))
    expect(decision).to_contain_text("Urgent")
    expect(decision).to_contain_text("Accept for rapid response")
    expect(decision).to_contain_text("Rapid response visit today.")
    expect(decision).to_contain_text("Priya Shah")
    assert timeline_kinds(page) == ["Received", "Routed", "Claimed", "Triaged"]
    items = page.get_by_role("list", name="Timeline").get_by_role("listitem")
    expect(items.nth(2)).to_contain_text("Priya Shah")
    expect(items.nth(3)).to_contain_text("Priya Shah")
    page.screenshot(path="/tmp/e2e-referral.png", full_page=True)


def test_bad_input_is_explained_and_nothing_typed_is_lost(live_server, page):
    handler = factories.user(User.Role.CALL_HANDLER)
    today = date.today()
    twelve_years_ago = date(today.year - 12, today.month, min(today.day, 28))

    login(page, live_server, handler.username)
    page.goto(f"{live_server.url}/patients/new/")
    page.get_by_label("NHS number (if known)").fill("999 123 4560")
    page.get_by_label("First name").fill("Jamie")
    fill_date(page, "Date of birth", twelve_years_ago.strftime("%-d %-m %Y"))
    page.get_by_label("Postcode").fill("LS1 4AP")
    page.get_by_role("button", name="Save and continue").click()

    summary = page.locator(".nhsuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert page.evaluate("() => !!document.activeElement.closest('.nhsuk-error-summary')")
    links = summary.get_by_role("link")
    expect(links).to_have_count(3)
    expect(summary.get_by_role("link", name=re.compile("valid NHS number"))).to_be_visible()
    expect(summary.get_by_role("link", name="Enter last name")).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile("children's services"))).to_be_visible()
    # The same messages sit by the fields they are about.
    expect(page.locator("#id_date_of_birth-error")).to_contain_text("aged 18 and over")

    # What was typed is still there.
    expect(page.get_by_label("First name")).to_have_value("Jamie")
    expect(page.get_by_label("NHS number (if known)")).to_have_value("999 123 4560")
    expect(page.get_by_label("Postcode")).to_have_value("LS1 4AP")

    summary.get_by_role("link", name=re.compile("valid NHS number")).click()
    expect(page.get_by_label("NHS number (if known)")).to_be_focused()

    page.get_by_label("NHS number (if known)").fill("999 000 0026")
    page.get_by_label("Last name").fill("Rivers")
    fill_date(page, "Date of birth", "14 2 1960")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Referral for Jamie Rivers")).to_be_visible()
    expect(success_banner(page)).to_contain_text("Jamie Rivers added")
    expect(page.locator(".nhsuk-error-summary")).to_have_count(0)


def test_two_clinicians_claiming_the_same_referral(live_server, new_page):
    physical, _, falls = queues()
    handler = factories.user(User.Role.CALL_HANDLER)
    first = factories.user(User.Role.DUTY_CLINICIAN, queues=[physical], first_name="Ada", last_name="First")
    second = factories.user(User.Role.DUTY_CLINICIAN, queues=[physical], first_name="Ben", last_name="Second")
    referral = factories.referral(need=falls, actor=handler)
    claim = f"Claim {referral.reference}"

    pages = {}
    for clinician in (first, second):
        page = pages[clinician] = new_page()
        login(page, live_server, clinician.username)
        page.goto(f"{live_server.url}/queues/physical-health/")
        expect(page.get_by_role("button", name=claim)).to_be_visible()

    pages[first].get_by_role("button", name=claim).click()
    expect(pages[first].get_by_role("heading", name=f"Triage {referral.patient.full_name}")).to_be_visible()

    page = pages[second]
    page.get_by_role("button", name=claim).click()  # the page still offers it: it is stale
    error = page.locator(".nhsuk-error-summary")
    expect(error).to_contain_text(f"Referral {referral.reference} was already claimed by Ada First")
    expect(page.get_by_role("heading", name="Physical health duty queue", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text=referral.reference)
    expect(row).to_contain_text("Claimed")
    expect(row).to_contain_text("by Ada First")
    expect(page.get_by_role("button", name=claim)).to_have_count(0)

    page = pages[first]
    page.get_by_role("radio", name="Routine").check()
    no_risk(page)
    page.get_by_role("radio", name="Signpost").check()
    page.get_by_label("Service signposted to").fill("Community physio")
    page.get_by_label("Clinical note").fill("Signposted to community physio.")
    page.get_by_role("button", name="Record triage decision").click()
    expect(page.get_by_test_id("referral-status")).to_have_text("Triaged")


def test_an_administrator_reroutes_a_need_in_the_browser(live_server, new_page):
    queues()
    administrator = factories.user(User.Role.ADMINISTRATOR)
    handler = factories.user(User.Role.CALL_HANDLER)
    patient = factories.patient(given_name="Ivy", family_name="Marsh", nhs_number="9990000034")

    page = new_page()
    login(page, live_server, administrator.username)
    header_link(page, "Administration").click()
    content = page.locator("#content-main")
    content.get_by_role("link", name="Duty queues", exact=True).click()
    page.get_by_role("link", name="Physical health duty queue").click()
    switched_on = page.get_by_label("Switched on")
    expect(switched_on).to_be_checked()
    switched_on.uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"{live_server.url}/admin/")
    content.get_by_role("link", name="Routing rules", exact=True).click()
    page.get_by_role("link", name="Falls", exact=True).click()
    page.get_by_label("Fallback queue").select_option(label="Mental health duty queue")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.get_by_role("row").filter(has_text="Falls")).to_contain_text("Mental health duty queue")

    page = new_page()
    login(page, live_server, handler.username)
    header_link(page, "New referral").click()
    page.get_by_label("NHS number").fill("999 000 0034")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile(f"Refer {patient.full_name}")).click()
    fill_referral(page)
    expect(success_banner(page)).to_contain_text("sent to Mental health duty queue")
    expect(page.get_by_role("list", name="Timeline")).to_contain_text(
        "Routed to Mental health duty queue for Falls (Physical health duty queue is switched off)"
    )


def tab_to(page: Page, target, limit: int = 40) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} never got the focus in {limit} presses of Tab")


def test_keyboard_only_referral(live_server, page):
    _, _, falls = queues()
    handler = factories.user(User.Role.CALL_HANDLER)
    patient = factories.patient(given_name="Olive", family_name="Keys", nhs_number="9990000042")

    login(page, live_server, handler.username)
    page.goto(f"{live_server.url}/referrals/new/")
    tab_to(page, page.get_by_label("NHS number"))
    page.keyboard.type("999 000 0042")
    page.keyboard.press("Enter")

    refer = page.get_by_role("link", name=re.compile(f"Refer {patient.full_name}"))
    expect(refer).to_be_visible()
    tab_to(page, refer)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"Referral for {patient.full_name}")).to_be_visible()

    # Radios: Tab into the group, Space picks the focused one, arrows move the choice.
    expect(
        page.get_by_role("radio", name="---------"),
        "'Who is referring' offers (and pre-selects) a blank '---------' radio",
    ).to_have_count(0)
    gp = page.get_by_role("radio", name="GP", exact=True)
    tab_to(page, page.get_by_role("group", name="Who is referring").get_by_role("radio").first)
    expect(gp).to_be_focused()
    page.keyboard.press("Space")
    expect(gp).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Other health or care professional")).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(gp).to_be_checked()

    tab_to(page, page.get_by_label("Referrer's name"))
    page.keyboard.type("Dr Keyes")
    # A closed select: typing the start of an option's name picks it.
    need = page.get_by_label("Need or service")
    tab_to(page, need)
    page.keyboard.type("Fal")
    expect(need).to_have_value(str(falls.pk))
    page.keyboard.press("Tab")
    expect(page.get_by_label("Reason for referral")).to_be_focused()
    page.keyboard.type("Fell on the stairs, cannot get up unaided")

    tab_to(page, page.get_by_role("button", name="Record referral"))
    page.keyboard.press("Enter")
    expect(success_banner(page)).to_contain_text("sent to Physical health duty queue")
    expect(page.get_by_role("heading", name=f"{patient.full_name}: Falls")).to_be_visible()

"""The main journeys with the keyboard alone (no clicks): a call handler records a referral, a duty
clinician triages from the queue, the Transfer of Care team records a delay on the board. Every
stop shows where focus is; the skip link works; after a refused form, focus is on the error summary."""

import re

import pytest
from playwright.sync_api import expect

from ccc.models import Organisation, User
from tests import factories
from tests.e2e.keyboard import choose, enter_and_load, focused, log_in, skip_to_main, tab_to, type_into

pytestmark = pytest.mark.e2e

RISK = ["None identified", "Low", "Medium", "High"]


def test_a_call_handler_records_a_referral_by_keyboard(live_server, page):
    queue = factories.duty_queue(code="physical-health", name="Physical health duty queue")
    factories.need(queue=queue, code="falls", name="Falls")
    handler = factories.user(User.Role.CALL_HANDLER)
    factories.patient(given_name="Margaret", family_name="Holloway", nhs_number="9990000018")

    log_in(page, live_server.url, handler.username)
    # They land on the contact form with the focus already in its first field (autofocus): the skip
    # link is tried on their referrals list instead.
    page.goto(f"{live_server.url}/referrals/")
    skip_to_main(page)
    page.goto(f"{live_server.url}/referrals/new/")
    type_into(page, "NHS number", "999 000 0018")
    enter_and_load(page)
    tab_to(page, "Refer Margaret Holloway")
    enter_and_load(page)
    expect(page.get_by_role("heading", name="Referral for Margaret Holloway")).to_be_visible()

    # Sent empty: focus goes to the error summary, whose links lead to the fields.
    tab_to(page, "Record referral")
    enter_and_load(page)
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    assert page.evaluate("() => !!document.activeElement.closest('.nhsuk-error-summary')")

    choose(page, ["GP", "Other health or care professional"], "GP")
    type_into(page, "Referrer's name", "Dr Amara Okafor")
    tab_to(page, "Need or service")
    page.keyboard.type("Falls")
    type_into(page, "Reason for referral", "Fell at home twice this week, lives alone")
    # Back a field and forward again: nothing typed is lost.
    tab_to(page, "Need or service", backwards=True)
    assert page.evaluate("document.activeElement.selectedOptions[0].textContent") == "Falls"
    tab_to(page, "Record referral")
    enter_and_load(page)
    expect(page.get_by_role("status").filter(has_text="Success")).to_contain_text("sent to Physical health duty queue")


def test_a_duty_clinician_triages_from_the_queue_by_keyboard(live_server, page):
    queue = factories.duty_queue(code="physical-health", name="Physical health duty queue")
    falls = factories.need(queue=queue, code="falls", name="Falls")
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[queue])
    handler = factories.user(User.Role.CALL_HANDLER)
    taken = factories.referral(need=falls, actor=handler)
    referral = factories.referral(need=falls, actor=handler)

    log_in(page, live_server.url, clinician.username)
    page.goto(f"{live_server.url}/queues/physical-health/")
    skip_to_main(page)

    # A colleague claims one first: the refusal's summary takes the focus, so it is heard and the
    # next Tab starts from it.
    factories.claimed(item=taken.queue_item, actor=factories.user(User.Role.DUTY_CLINICIAN, queues=[queue]))
    tab_to(page, f"Claim {taken.reference}")
    enter_and_load(page)
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("already claimed")
    assert page.evaluate("() => !!document.activeElement.closest('.nhsuk-error-summary')")
    tab_to(page, f"Claim {referral.reference}")
    enter_and_load(page)
    expect(page.get_by_role("heading", name=f"Triage {referral.patient.full_name}")).to_be_visible()

    choose(page, ["Very urgent", "Urgent", "Routine"], "Urgent")
    for _ in ("Risk to self", "Risk to others", "Risk from others"):
        choose(page, RISK, "None identified")
    tab_to(page, "Accept for rapid response")
    page.keyboard.press("Space")
    type_into(page, "Clinical note", "Two falls in a week, lives alone. Rapid response visit today.")
    tab_to(page, "Record triage decision")
    enter_and_load(page)
    expect(page.get_by_role("status").filter(has_text="Success")).to_contain_text(
        f"Triage decision recorded for referral {referral.reference}"
    )


def test_the_transfer_of_care_team_records_a_delay_from_the_board_by_keyboard(live_server, page):
    factories.delay_reasons_loaded()
    trust = factories.organisation(name="Northfield Acute Trust", kind=Organisation.Kind.ACUTE_TRUST)
    nurse = factories.user(User.Role.TOC, organisation=trust)
    entry = factories.register_entry(actor=nurse)

    log_in(page, live_server.url, nurse.username)
    page.goto(f"{live_server.url}/toc/")
    skip_to_main(page)
    tab_to(page, entry.patient.full_name)
    enter_and_load(page)
    expect(page.get_by_role("heading", name=entry.patient.full_name)).to_be_visible()

    tab_to(page, "Delay reason")
    page.keyboard.type("G Patient")
    assert "Patient or family choice" in page.evaluate(
        "document.activeElement.selectedOptions[0].textContent"
    ), focused(page)
    choose(page, ["NHS", "Social care", "Both"], "NHS")
    type_into(page, re.compile("^Note"), "Family want to visit the unit first")
    tab_to(page, "Record delay")
    enter_and_load(page)
    expect(page.get_by_text("Delay recorded")).to_be_visible()

"""The front desk in a real browser: a frequent caller who wants to talk, and a GP's call that
becomes a referral the practice then tracks."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ccc.models import User
from tests import factories
from tests.e2e.conftest import header_link, login

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"R\d{6}")


def test_a_frequent_callers_just_to_talk_contact_is_logged_and_signposted(live_server, page):
    handler = factories.user(User.Role.CALL_HANDLER, first_name="Sam", last_name="Caller")
    for days_ago in (2, 5, 9, 12):
        factories.contact(
            actor=handler, caller_name="Iris Bell", caller_phone="0113 496 0555", outcome="just_to_talk",
            started_at=timezone.now() - timedelta(days=days_ago),
        )

    login(page, live_server, handler.username)
    header_link(page, "Log a contact").click()
    expect(page.get_by_role("heading", name="Log a contact")).to_be_visible()
    # The first thing a call handler answers has the focus: who is calling; arrow keys choose.
    expect(page.get_by_role("radio", name="GP", exact=True)).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name="Patient (self-referral)")).to_be_checked()
    page.get_by_label("Caller's name").fill("Iris Bell")
    page.get_by_label("Caller's phone number").fill("0113 4960555")
    page.get_by_label("Duration in minutes").fill("20")
    page.get_by_label("Reason for contact").fill("Lonely this evening, wanted to talk")
    page.get_by_role("radio", name="Just to talk").check()
    page.get_by_role("button", name="Log contact").click()

    expect(page.get_by_role("heading", name="Iris Bell: Just to talk")).to_be_visible()
    related = page.get_by_test_id("contacts")
    expect(related.get_by_role("row")).to_have_count(5)  # a header and her four earlier calls

    header_link(page, "Contacts").click()
    page.get_by_label("Find contacts").fill("0113 496 0555")
    page.get_by_label("Find contacts").press("Enter")
    expect(page.get_by_text("Frequent caller: 5 in 30 days").first).to_be_visible()
    page.get_by_test_id("contacts").get_by_role("link", name=re.compile(r"C\d{6}")).first.click()

    page.get_by_role("link", name="Signpost to a service").click()
    expect(page.get_by_label("Service signposted to")).to_be_focused()
    page.keyboard.type("Northfield Befriending Network")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="Signposted to Northfield Befriending Network")).to_be_visible()
    expect(page.get_by_test_id("contact-outcome")).to_have_text("Just to talk")
    expect(page.get_by_test_id("signposted-to")).to_have_text("Northfield Befriending Network")
    expect(page.get_by_test_id("versions").get_by_role("listitem")).to_have_count(2)  # the original is kept


def test_a_gps_call_becomes_a_referral_the_practice_tracks(live_server, new_page):
    physical = factories.duty_queue(code="physical-health", name="Physical health duty queue", triage_target_minutes=120)
    factories.need(queue=physical, code="falls", name="Falls")
    practice = factories.gp_practice(name="Ash Tree Surgery", ods_code="B86001")
    handler = factories.user(User.Role.CALL_HANDLER, first_name="Sam", last_name="Caller")
    gp = factories.user(User.Role.REFERRER, organisation=practice, first_name="Amara", last_name="Okafor")
    patient = factories.patient(given_name="Margaret", family_name="Holloway", nhs_number="9990000018")

    page = new_page()
    login(page, live_server, handler.username)
    header_link(page, "Log a contact").click()
    page.get_by_role("radio", name="GP", exact=True).check()
    page.get_by_label("Caller's name").fill("Dr Amara Okafor")
    page.get_by_label("Caller's practice or organisation").fill("Ash Tree Surgery")
    page.get_by_label("Caller's phone number").fill("0113 496 0000")
    page.get_by_label("Reason for contact").fill("Fell twice this week, lives alone")
    page.get_by_role("radio", name="Referral pending").check()
    page.get_by_role("button", name="Log contact").click()

    expect(page.get_by_role("heading", name="Find the patient")).to_be_visible()
    expect(page.get_by_label("NHS number")).to_be_focused()
    page.keyboard.type("999 000 0018")
    page.keyboard.press("Enter")
    page.get_by_role("link", name=re.compile("Refer Margaret Holloway")).click()

    expect(page.get_by_role("heading", name="Referral for Margaret Holloway")).to_be_visible()
    expect(page.get_by_label("Referrer's name")).to_have_value("Dr Amara Okafor")
    page.get_by_label("Referring GP practice").select_option(label="Ash Tree Surgery")
    page.get_by_label("Need or service").select_option(label="Falls")
    page.get_by_role("button", name="Record referral").click()

    banner = page.get_by_role("status").filter(has_text="Success")
    expect(banner).to_contain_text("sent to Physical health duty queue")
    reference = REFERENCE.search(banner.inner_text()).group()
    assert patient.referrals.get().referring_practice == practice

    page = new_page()
    login(page, live_server, gp.username)
    header_link(page, "Track referrals").click()
    row = page.get_by_test_id("tracked-referrals").get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Margaret Holloway")
    expect(row).to_contain_text("Queued for triage")
    row.get_by_role("link", name=reference).click()
    expect(page.get_by_test_id("next-step")).to_contain_text("Waiting in the Physical health duty queue for triage")
    expect(page.get_by_text("Fell twice this week")).to_have_count(0)  # tracking facts only

"""A GP sends a referral from their browser and follows it in their tracking list."""

import re

import pytest
from playwright.sync_api import expect

from ccc.models import User
from referrals.models import Referral
from tests import factories
from tests.e2e.conftest import fill_date, header_link, login

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"R\d{6}")


def test_a_gp_sends_a_referral_in_the_browser_and_sees_it_in_tracking(live_server, page):
    physical = factories.duty_queue(code="physical-health", name="Physical health duty queue", triage_target_minutes=120)
    factories.need(queue=physical, code="falls", name="Falls")
    practice = factories.gp_practice(name="Ash Tree Surgery", ods_code="B86001")
    gp = factories.user(User.Role.REFERRER, organisation=practice, first_name="Amara", last_name="Okafor")

    login(page, live_server, gp.username)
    header_link(page, "Track referrals").click()
    page.get_by_role("link", name="Send a referral").click()

    expect(page.get_by_role("heading", name="Send a referral")).to_be_visible()
    expect(page.get_by_label("Patient's NHS number")).to_be_focused()
    page.keyboard.type("999 000 0019")  # a check digit that does not match
    page.get_by_label("Patient's first name").fill("Margaret")
    page.get_by_label("Patient's last name").fill("Holloway")
    fill_date(page, "Patient's date of birth", "3 4 1941")
    page.get_by_label("Need or service").select_option(label="Falls")
    page.get_by_label("Reason for referral").fill("Fell twice this week, lives alone")
    page.get_by_role("button", name="Send referral").click()

    expect(page.get_by_role("alert")).to_contain_text("check digit")
    expect(page.get_by_label("Reason for referral")).to_have_value("Fell twice this week, lives alone")
    page.get_by_label("Patient's NHS number").fill("999 000 0018")
    page.get_by_role("button", name="Send referral").click()

    banner = page.get_by_role("status").filter(has_text="Success")
    expect(banner).to_contain_text("sent to Physical health duty queue")
    reference = REFERENCE.search(banner.inner_text()).group()
    expect(page.get_by_test_id("next-step")).to_contain_text("Waiting in the Physical health duty queue for triage")
    referral = Referral.objects.get()
    assert (referral.channel, referral.referring_practice) == (Referral.Channel.ELECTRONIC, practice)

    page.get_by_role("link", name="Back to your referrals").click()
    row = page.get_by_test_id("tracked-referrals").get_by_role("row").filter(has_text=reference)
    expect(row).to_contain_text("Margaret Holloway")
    expect(row).to_contain_text("Queued for triage")

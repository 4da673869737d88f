"""Issue 13 in a real browser: a call handler answers the red-flag screen for an urgent community
response, and the duty clinician finds that referral first, above routine ones received earlier."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ccc.models import User
from tests import factories
from tests.e2e.conftest import login
from triage.models import RedFlagQuestion, ResponseTarget

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"R\d{6}")


def test_a_call_handler_records_a_ucr_referral_and_the_clinician_sees_it_first(live_server, new_page):
    physical = factories.duty_queue(code="physical-health", name="Physical health duty queue", triage_target_minutes=120)
    ucr = factories.need(queue=physical, code="urgent-community-response", name="Urgent community response (2-hour)")
    falls = factories.need(queue=physical, code="falls", name="Falls")
    RedFlagQuestion.objects.create(need=ucr, question="New confusion, or a high temperature with shivering?",
                                   urgency="very_urgent")
    RedFlagQuestion.objects.create(need=falls, question="Still on the floor?", urgency="very_urgent")
    ResponseTarget.objects.create(queue=physical, priority="very_urgent", triage_minutes=20, response_minutes=120)
    handler = factories.user(User.Role.CALL_HANDLER)
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[physical])
    for hours in (2, 1):  # routine referrals received earlier: due before the new one by the queue's own clock
        factories.referral(need=falls, actor=handler, received_at=timezone.now() - timedelta(hours=hours))
    patient = factories.patient(given_name="Edna", family_name="Parr")

    page = new_page()
    login(page, live_server, handler.username)
    page.goto(f"{live_server.url}/referrals/new/{patient.public_id}/")
    page.get_by_role("radio", name="Other health or care professional").check()
    page.get_by_label("Referrer's name").fill("Dawn Pike, scheme manager")
    page.get_by_label("Need or service").select_option(label="Urgent community response (2-hour)")
    # Only the chosen need's screen is shown.
    expect(page.get_by_label(re.compile("Still on the floor"))).to_be_hidden()
    page.get_by_label(re.compile("New confusion, or a high temperature")).check()
    page.get_by_label("Reason for referral").fill("New confusion since yesterday, temperature 38.4")
    page.get_by_role("button", name="Record referral").click()

    banner = page.get_by_role("status").filter(has_text="Success")
    expect(banner).to_contain_text("sent to Physical health duty queue")
    reference = REFERENCE.search(banner.inner_text()).group()
    expect(page.get_by_test_id("referral-urgency")).to_have_text("Very urgent")
    expect(page.get_by_test_id("intake-urgency")).to_contain_text("New confusion, or a high temperature")

    page = new_page()
    login(page, live_server, clinician.username)
    page.goto(f"{live_server.url}/queues/{physical.code}/")
    rows = page.get_by_test_id("queue-items").locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_have_attribute("data-reference", reference)
    expect(rows.first.get_by_test_id("urgency")).to_have_text("Very urgent")
    expect(page.get_by_test_id("queue-count")).to_contain_text("Showing 1 to 3 of 3 open referrals")
    page.screenshot(path="/tmp/e2e-urgency-queue.png", full_page=True)

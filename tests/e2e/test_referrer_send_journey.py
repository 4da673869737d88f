"""A GP sends a referral from their browser and follows it to the end (issue 16): triaged, an IRR
episode opened, the first visit made, the episode closed with its outcome, each step on their
tracking page and in their notifications."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ccc.models import User
from irr import services as irr_services
from irr.models import Visit
from referrals.models import Referral
from tests import factories
from tests.e2e.conftest import fill_date, header_link, login
from tests.e2e.test_referral_journey import no_risk

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"R\d{6}")


def test_a_gp_sends_a_referral_in_the_browser_and_follows_it_to_the_episode_closed(live_server, page, new_page):
    team = factories.team(name="IRR physical health")
    physical = factories.duty_queue(
        code="physical-health", name="Physical health duty queue", triage_target_minutes=120, team=team
    )
    factories.need(queue=physical, code="falls", name="Falls")
    practice = factories.gp_practice(name="Ash Tree Surgery", ods_code="B86001")
    gp = factories.user(User.Role.REFERRER, organisation=practice, first_name="Amara", last_name="Okafor")
    clinician = factories.user(
        User.Role.DUTY_CLINICIAN, queues=[physical], team=team, first_name="Priya", last_name="Shah"
    )
    factories.on_duty_now(queue=physical, clinician=clinician, is_lead=True)

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

    # The duty clinician triages it and opens a rapid response episode, in their own browser.
    duty = new_page()
    login(duty, live_server, clinician.username)
    duty.goto(f"{live_server.url}/queues/physical-health/")
    duty.get_by_role("button", name=f"Claim {reference}").click()
    expect(duty.get_by_role("heading", name="Triage Margaret Holloway")).to_be_visible()
    duty.get_by_role("radio", name="Urgent", exact=True).check()
    no_risk(duty)
    duty.get_by_role("radio", name="Accept for rapid response").check()
    duty.get_by_label("Clinical note").fill("Two falls this week, lives alone. Rapid response visit today.")
    duty.get_by_role("button", name="Record triage decision").click()
    expect(duty.get_by_role("heading", name="Open an IRR episode for Margaret Holloway")).to_be_visible()
    duty.get_by_label("Lead professional", exact=True).select_option(label="Priya Shah")
    duty.get_by_role("radio", name="Nurse").check()
    duty.get_by_label("Goals").fill("Safe at home; falls assessment and equipment this week.")
    duty.get_by_role("button", name="Open episode").click()
    expect(duty.get_by_role("heading", name="Plan a visit")).to_be_visible()
    duty.get_by_role("radio", name="Unplanned").check()
    an_hour_ago = timezone.localtime() - timedelta(hours=1)  # planned for when the clinician went out
    fill_date(duty, "Date and time", f"{an_hour_ago:%d %m %Y %H:%M}")
    duty.get_by_role("checkbox", name="Priya Shah").check()
    duty.get_by_role("button", name="Plan visit").click()
    expect(duty.get_by_test_id("visits")).to_contain_text("Unplanned")

    # The visit is made (recording it is not the point here), then the episode is closed in the browser.
    irr_services.visit_record(visit=Visit.objects.get(), outcome="Walked with a frame; rails fitted.", actor=clinician)
    duty.reload()
    duty.get_by_role("link", name="Close the episode").click()
    duty.get_by_role("radio", name="Stayed at home").check()
    duty.get_by_role("button", name="Close episode").click()
    expect(duty.get_by_role("status").filter(has_text="Success")).to_be_visible()

    # The GP sees each step on the referral's page, and was told of each in their notifications.
    page.get_by_role("row").filter(has_text=reference).get_by_role("link").first.click()
    expect(page.get_by_test_id("tracking-status")).to_have_text("Triaged")
    expect(page.get_by_test_id("next-step")).to_contain_text("Accepted for rapid response")
    # In time order: the visit (made an hour ago) comes before the episode's opening (just now).
    journey = page.get_by_test_id("journey")
    expect(journey.get_by_role("listitem")).to_have_count(3)
    expect(journey).to_contain_text(f"{an_hour_ago:%H:%M}: First rapid response visit made")
    expect(journey).to_contain_text("Rapid response episode opened by IRR physical health")
    expect(journey.get_by_role("listitem").last).to_contain_text("Rapid response episode closed: stayed at home")
    expect(page.get_by_text("Two falls this week")).to_have_count(0)  # the clinical note stays with the centre

    notifications = page.get_by_test_id("notifications-link")
    expect(notifications).to_contain_text("3")
    notifications.click()
    told = page.get_by_test_id("notifications")
    for step in ("Rapid response episode opened by IRR physical health", "First rapid response visit made",
                 "Rapid response episode closed: stayed at home"):
        expect(told).to_contain_text(f"Your referral {reference}: {step}")
    expect(told).not_to_contain_text("Margaret")  # no patient details in a notification
    told.get_by_role("button", name=re.compile("episode closed")).click()
    expect(page.get_by_role("heading", name="Where Margaret Holloway's referral is")).to_be_visible()


def test_a_gp_cancels_a_referral_before_triage_and_it_leaves_the_duty_queue(live_server, page, new_page):
    physical = factories.duty_queue(code="physical-health", name="Physical health duty queue")
    falls = factories.need(queue=physical, code="falls", name="Falls")
    practice = factories.gp_practice(name="Ash Tree Surgery", ods_code="B86001")
    gp = factories.user(User.Role.REFERRER, organisation=practice)
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[physical])
    referral = factories.referral(need=falls, actor=factories.user(User.Role.CALL_HANDLER), referring_practice=practice)

    login(page, live_server, gp.username)
    page.goto(f"{live_server.url}/track/{referral.public_id}/")
    page.get_by_role("link", name="Cancel this referral").click()
    page.get_by_role("button", name="Cancel referral").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why you are cancelling it")
    page.get_by_label("Why you are cancelling it").fill("Admitted to hospital this morning")
    page.get_by_role("button", name="Cancel referral").click()

    expect(page.get_by_role("status").filter(has_text="Success")).to_contain_text(f"Referral {referral.reference} cancelled")
    expect(page.get_by_test_id("tracking-status")).to_have_text("Cancelled")
    expect(page.get_by_test_id("next-step")).to_contain_text("Admitted to hospital this morning")
    expect(page.get_by_role("link", name="Cancel this referral")).to_have_count(0)

    duty = new_page()
    login(duty, live_server, clinician.username)
    duty.goto(f"{live_server.url}/queues/physical-health/")
    expect(duty.get_by_role("heading", name="Physical health duty queue")).to_be_visible()
    expect(duty.get_by_text(referral.reference)).to_have_count(0)

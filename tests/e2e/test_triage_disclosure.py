"""Issue 18 in a real browser: the triage form shows only the chosen outcome's fields, with JavaScript
(NHS.UK conditional radios) and without it (choose, "Continue", then that outcome's fields)."""

import pytest
from playwright.sync_api import Page, expect

from ccc.models import User
from tests import factories
from tests.e2e.conftest import login
from triage import services
from triage.models import TriageDecision

pytestmark = pytest.mark.e2e


def _claimed_referral():
    queue = factories.duty_queue(code="physical-health", name="Physical health duty queue")
    factories.duty_queue(code="mental-health", name="Mental health duty queue")
    falls = factories.need(queue=queue, code="falls", name="Falls")
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[queue])
    referral = factories.referral(need=falls, actor=factories.user(User.Role.CALL_HANDLER))
    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    return clinician, referral


def _fill_risks(page: Page) -> None:
    for group in ("Risk to self", "Risk to others", "Risk from others"):
        page.get_by_role("group", name=group, exact=True).get_by_role("radio", name="None identified").check()


def test_with_javascript_ticking_an_outcome_reveals_only_its_fields(live_server, page: Page):
    clinician, referral = _claimed_referral()
    login(page, live_server, clinician.username)
    page.goto(f"{live_server.url}/queues/items/{referral.queue_item.public_id}/triage/")

    transfer_to, referred_to = page.get_by_label("Duty queue to transfer to"), page.get_by_label("Service referred on to")
    expect(transfer_to).to_be_hidden()
    expect(referred_to).to_be_hidden()
    expect(page.get_by_role("button", name="Continue")).to_be_hidden()  # the step only JavaScript-less pages need
    page.get_by_role("radio", name="Transfer to another duty queue").check()
    expect(transfer_to).to_be_visible()
    expect(referred_to).to_be_hidden()
    page.get_by_role("radio", name="Refer on to a named service").check()
    expect(transfer_to).to_be_hidden()
    expect(referred_to).to_be_visible()

    _fill_risks(page)
    page.get_by_label("Clinical note").fill("Two falls this month; clinic can see her this week")
    referred_to.fill("Falls clinic")
    page.get_by_role("button", name="Record triage decision").click()
    expect(page.get_by_text("Triage decision recorded")).to_be_visible()
    assert TriageDecision.objects.get().referred_to == "Falls clinic"


def test_without_javascript_continue_shows_the_chosen_outcome_s_fields(live_server, browser):
    clinician, referral = _claimed_referral()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(5_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(clinician.username)
        page.get_by_label("Password", exact=True).fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server.url}/queues/items/{referral.queue_item.public_id}/triage/")

        expect(page.get_by_label("Duty queue to transfer to")).to_be_hidden()
        expect(page.get_by_label("Service signposted to, if not in the directory")).to_be_hidden()
        _fill_risks(page)
        page.get_by_label("Clinical note").fill("Wants company more than care")
        page.get_by_role("radio", name="Signpost to a service").check()
        page.get_by_role("button", name="Continue").click()

        signposted_to = page.get_by_label("Service signposted to, if not in the directory")
        expect(signposted_to).to_be_visible()
        expect(page.get_by_label("Duty queue to transfer to")).to_be_hidden()
        expect(page.get_by_label("Clinical note")).to_have_value("Wants company more than care")
        signposted_to.fill("Age UK befriending")
        page.get_by_role("button", name="Record triage decision").click()
        expect(page.get_by_text("Triage decision recorded")).to_be_visible()
    finally:
        context.close()
    assert TriageDecision.objects.get().signposted_to == "Age UK befriending"

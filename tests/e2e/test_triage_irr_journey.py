"""Issue 5 in a real browser: a mental health duty clinician on the rota claims a crisis referral,
records a high-risk decision and opens an IRR episode with a paired first visit."""

import pytest
from playwright.sync_api import Page, expect

from ccc.models import User
from tests import factories
from tests.e2e.conftest import fill_date, login

pytestmark = pytest.mark.e2e


def test_a_mental_health_clinician_triages_a_crisis_into_an_irr_episode_with_a_paired_visit(live_server, new_page):
    team = factories.team(name="IRR mental health")
    mental = factories.duty_queue(code="mental-health", name="Mental health duty queue", team=team)
    crisis = factories.need(queue=mental, code="mh-crisis", name="Mental health crisis", group="Mental health")
    factories.response_target(queue=mental, priority="very_urgent", minutes=240)
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[mental], team=team, first_name="Aisha", last_name="Rahman")
    colleague = factories.user(User.Role.DUTY_CLINICIAN, queues=[mental], team=team, first_name="Ben", last_name="Cole")
    factories.on_duty_now(queue=mental, clinician=clinician, is_lead=True)
    factories.on_duty_now(queue=mental, clinician=colleague)
    handler = factories.user(User.Role.CALL_HANDLER)
    referral = factories.referral(
        need=crisis, actor=handler, patient_=factories.patient(given_name="Owen", family_name="Price")
    )

    page: Page = new_page()
    login(page, live_server, clinician.username)
    page.goto(f"{live_server.url}/queues/mental-health/")
    expect(page.get_by_test_id("on-duty")).to_contain_text("Aisha Rahman Duty lead")
    expect(page.get_by_test_id("on-duty")).to_contain_text("Ben Cole")
    page.get_by_role("button", name=f"Claim {referral.reference}").click()

    # A high-risk decision: threats to others, lone-working risk, sensitive note.
    expect(page.get_by_role("heading", name="Triage Owen Price")).to_be_visible()
    page.get_by_role("radio", name="Very urgent").check()
    page.get_by_role("group", name="Risk to self", exact=True).get_by_role("radio", name="Medium").check()
    page.get_by_role("group", name="Risk to others", exact=True).get_by_role("radio", name="High").check()
    page.get_by_role("group", name="Risk from others", exact=True).get_by_role("radio", name="None identified").check()
    page.get_by_label("Safeguarding concern").check()
    page.get_by_label("Lone-working risk").check()
    page.get_by_role("radio", name="Accept for rapid response").check()
    page.get_by_label("Clinical note").fill("Threatened his neighbour today. Home treatment within 4 hours, in pairs.")
    page.get_by_label("This note is sensitive").check()
    page.get_by_role("button", name="Record triage decision").click()

    # Open the episode with a support worker as the second person.
    expect(page.get_by_role("heading", name="Open an IRR episode for Owen Price")).to_be_visible()
    expect(page.get_by_text("Every visit needs two staff")).to_be_visible()
    page.get_by_label("Lead professional", exact=True).select_option(label="Aisha Rahman")
    page.get_by_role("radio", name="Mental health practitioner").check()
    page.get_by_label("Goals").fill("Safe at home with his brother; safety plan reviewed daily.")
    page.get_by_label("Second team member's name").fill("Tom Barker")
    page.get_by_label("Their discipline").select_option(label="Support worker")
    page.get_by_label("Their organisation").select_option(label=str(team.organisation))
    page.get_by_role("button", name="Open episode").click()

    # One person is refused; two are planned.
    expect(page.get_by_role("heading", name="Plan a visit")).to_be_visible()
    page.get_by_role("radio", name="Unplanned").check()
    fill_date(page, "Date and time", "15 1 2030 10:30")
    page.get_by_role("checkbox", name="Aisha Rahman").check()
    page.get_by_role("button", name="Plan visit").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("needs two staff")
    page.get_by_role("checkbox", name="Tom Barker").check()
    page.get_by_role("button", name="Plan visit").click()

    expect(page.get_by_role("heading", name="Owen Price")).to_be_visible()
    visits = page.get_by_test_id("visits")
    expect(visits).to_contain_text("Unplanned")
    expect(visits).to_contain_text("Aisha Rahman, Tom Barker")
    expect(page.get_by_test_id("members")).to_contain_text("Tom Barker: Support worker")

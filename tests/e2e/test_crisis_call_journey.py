"""Issue 13's journey in a real browser: a call handler records an urgent crisis call for a patient
with a risk-to-staff alert; the duty clinician finds it first in the queue, with the alert, and sees
the patient's history beside the triage; the visit cannot go ahead with one person; and a call back
nobody makes escalates."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ccc.models import User
from escalations.models import EscalationRung
from escalations.services import escalations_fire_due
from referrals.models import CallBackRequest, Referral
from tests import factories
from tests.e2e.conftest import fill_date, header_link, login
from triage import services as triage_services
from triage.models import RedFlagQuestion

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"R\d{6}")


def test_an_urgent_crisis_call_with_a_safety_alert_reaches_the_clinician_first_and_nothing_waits_unseen(
    live_server, new_page
):
    team = factories.team(name="IRR mental health")
    queue = factories.duty_queue(code="mental-health", name="Mental health duty queue", triage_target_minutes=240,
                                 team=team)
    crisis = factories.need(queue=queue, code="mh-crisis", name="Mental health crisis")
    RedFlagQuestion.objects.create(need=crisis, question="Do they have a plan or the means to end their life?",
                                   urgency="very_urgent")
    factories.ladder(queue, rungs=[("Duty clinician", 0, EscalationRung.People.QUEUE_CLINICIANS, [])])
    handler = factories.user(User.Role.CALL_HANDLER)
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[queue], team=team, first_name="Aisha",
                               last_name="Rahman")
    patient = factories.patient(given_name="Rob", family_name="Nolan")
    factories.safety_alert(patient_=patient, actor=handler, category="risk_to_staff",
                           detail="Brother at home has threatened staff: visit in pairs")
    earlier = factories.referral(need=crisis, actor=handler, patient_=patient,
                                 received_at=timezone.now() - timedelta(days=20))
    factories.triaged(referral_=earlier, clinician=clinician, outcome="no_further_action", priority="routine")
    for hours in (3, 2):  # routine referrals received earlier, due sooner by the queue's own clock
        factories.referral(need=crisis, actor=handler, received_at=timezone.now() - timedelta(hours=hours))

    # The call handler answers the red-flag screen.
    page = new_page()
    login(page, live_server, handler.username)
    page.goto(f"{live_server.url}/referrals/new/{patient.public_id}/")
    page.get_by_role("radio", name="Other health or care professional").check()
    page.get_by_label("Referrer's name").fill("PC Jo Marsh, street triage")
    page.get_by_label("Need or service").select_option(label="Mental health crisis")
    page.get_by_label(re.compile("plan or the means to end their life")).check()
    page.get_by_label("Reason for referral").fill("Says he has a plan; brother is with him")
    page.get_by_role("button", name="Record referral").click()
    banner = page.get_by_role("status").filter(has_text="Success")
    expect(banner).to_contain_text("sent to Mental health duty queue")
    reference = REFERENCE.search(banner.inner_text()).group()

    # The clinician finds it first, with the alert on its row.
    duty = new_page()
    login(duty, live_server, clinician.username)
    duty.goto(f"{live_server.url}/queues/{queue.code}/")
    rows = duty.get_by_test_id("queue-items").locator("tbody tr")
    expect(rows.first).to_have_attribute("data-reference", reference)
    expect(rows.first.get_by_test_id("urgency")).to_have_text("Very urgent")
    expect(rows.first.get_by_test_id("safety-alerts")).to_contain_text("Risk to staff")

    # Beside the triage: the alert and the patient's earlier referral.
    referral = Referral.objects.get(patient=patient, reason__startswith="Says he")
    item = factories.claimed(item=referral.queue_item, actor=clinician)
    duty.goto(f"{live_server.url}/queues/items/{item.public_id}/triage/")
    expect(duty.get_by_test_id("safety-alerts").first).to_contain_text("Brother at home has threatened staff")
    expect(duty.get_by_test_id("patient-summary")).to_contain_text("Close with no further action")  # the earlier referral

    # The episode's visits go in pairs: one person alone is refused.
    decision = triage_services.triage_decision_record(
        item=item, actor=clinician, priority="very_urgent", outcome="accept", clinical_note="Visit today"
    )
    episode = factories.episode(decision=decision, lead=clinician)
    duty.goto(f"{live_server.url}/irr/{episode.public_id}/visits/")
    duty.get_by_role("radio", name="Planned", exact=True).check()
    fill_date(duty, "Date and time", (timezone.localtime() + timedelta(hours=1)).strftime("%d %m %Y %H:%M"))
    duty.locator("input[name=staff]").first.check()
    duty.get_by_role("button", name="Plan visit").click()
    expect(duty.get_by_role("alert")).to_contain_text("two staff")
    expect(duty.get_by_text(re.compile("risk-to-staff safety alert")).first).to_be_visible()
    assert not episode.visits.exists()

    # A call back asked of the team and not made escalates to its duty clinician.
    request = factories.call_back(actor=handler, team_=team, caller_name="PC Jo Marsh")
    escalations_fire_due(now=request.due_at + timedelta(minutes=1))
    duty.goto(f"{live_server.url}/")
    header_link(duty, "Call backs").click()
    row = duty.get_by_test_id("call-backs").locator("tbody tr").filter(has_text="PC Jo Marsh")
    expect(row.get_by_test_id("escalated")).to_be_visible()
    assert CallBackRequest.objects.get().status == CallBackRequest.Status.OPEN

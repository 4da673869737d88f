"""Nothing by word of mouth: a call back asked of a busy team escalates when nobody calls back,
and the team's clinician records it, in a real browser."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from ccc.models import User
from escalations.models import EscalationRung
from escalations.services import escalations_fire_due
from referrals.models import CallBackRequest
from tests import factories
from tests.e2e.conftest import header_link, login

pytestmark = pytest.mark.e2e


def test_a_call_back_nobody_makes_escalates_and_the_team_records_it(live_server, new_page):
    team = factories.team(name="District nursing north")
    queue = factories.duty_queue(code="district-north", name="District nursing north queue", team=team)
    nurse = factories.user(User.Role.DUTY_CLINICIAN, queues=[queue], team=team, first_name="Priya", last_name="Shah")
    factories.ladder(queue, rungs=[("Duty clinician", 0, EscalationRung.People.QUEUE_CLINICIANS, [])])
    handler = factories.user(User.Role.CALL_HANDLER, first_name="Sam", last_name="Caller")

    page = new_page()
    login(page, live_server, handler.username)
    header_link(page, "Log a contact").click()
    page.get_by_role("radio", name="GP", exact=True).check()
    page.get_by_label("Caller's name").fill("Dr Amara Okafor")
    page.get_by_label("Caller's phone number").fill("0113 496 0000")
    page.get_by_label("Reason for contact").fill("Wants the duty nurse about Mrs Holloway's leg ulcer")
    page.get_by_role("radio", name="Call back requested").check()
    page.get_by_role("button", name="Log contact").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the team to call back")
    page.get_by_label("Team to call back").select_option(label="District nursing north")
    page.get_by_role("radio", name="Urgent: within 30 minutes").check()
    page.get_by_role("button", name="Log contact").click()
    expect(page.get_by_role("status").filter(has_text="call-back list, due by")).to_be_visible()

    # Nobody calls back in time: beat's poller runs after the due time.
    request = CallBackRequest.objects.get()
    escalations_fire_due(now=request.due_at + timedelta(minutes=1))

    clinician = new_page()
    login(clinician, live_server, nurse.username)
    expect(clinician.get_by_test_id("notifications-link")).to_contain_text("1")
    header_link(clinician, "Call backs").click()
    row = clinician.get_by_test_id("call-backs").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row.first).to_contain_text("Dr Amara Okafor")
    expect(row.first.get_by_test_id("escalated")).to_be_visible()
    row.first.get_by_role("link", name="Record the call back").click()
    clinician.get_by_role("radio", name="Called back").check()
    clinician.get_by_label("Notes").fill("Spoke to Dr Okafor: visiting Mrs Holloway this afternoon")
    clinician.get_by_role("button", name="Record").click()

    expect(clinician.get_by_text("No calls are waiting to be returned.")).to_be_visible()
    request.refresh_from_db()
    assert (request.status, request.done_by) == (CallBackRequest.Status.CALLED_BACK, nurse)

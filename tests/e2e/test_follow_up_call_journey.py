"""A call handler works the follow-up calls due after discharge, in a real browser."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ccc.models import User
from referrals import services
from referrals.models import FollowUpCall
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_a_call_handler_records_the_outcome_of_a_due_follow_up_call(live_server, page):
    handler = factories.user(User.Role.CALL_HANDLER, first_name="Sam", last_name="Caller")
    patient = factories.patient(given_name="Margaret", family_name="Holloway")
    # Discharged two days ago: the day 2 call is due today, the day 7 call is not on the list yet.
    calls = services.follow_up_calls_schedule(
        patient=patient, discharged_on=timezone.localdate() - timedelta(days=2),
        reason="Discharged after a fall; high risk of readmission", actor=handler,
    )
    FollowUpCall.objects.filter(pk=calls[0].pk).update(due_at=timezone.now() - timedelta(minutes=20))

    login(page, live_server, handler.username)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Work list").click()

    rows = page.get_by_test_id("follow-up-calls").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Margaret Holloway")
    expect(rows.first).to_contain_text("Day 2 after discharge")
    rows.first.get_by_role("link", name="Record outcome").click()

    page.get_by_role("radio", name="Answered: well").check()
    page.get_by_label("Notes").fill("Managing well; daughter visiting daily")
    page.get_by_role("button", name="Record outcome").click()

    expect(page.get_by_role("status").filter(has_text="Answered: well")).to_be_visible()
    expect(page.get_by_text("No follow-up calls are due.")).to_be_visible()
    call = FollowUpCall.objects.get(pk=calls[0].pk)
    assert (call.status, call.outcome_by) == (FollowUpCall.Status.ANSWERED_WELL, handler)

"""An overdue referral escalates: the duty clinician sees the unread count, acknowledges with
a note, and the manager sees it in the live list."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ccc.models import User
from escalations.models import EscalationRung
from escalations.services import escalations_fire_due
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_a_duty_clinician_acknowledges_an_escalation_the_manager_watches(live_server, new_page):
    queue = factories.duty_queue(code="physical-health", name="Physical health duty queue", triage_target_minutes=120)
    falls = factories.need(queue=queue, code="falls", name="Falls")
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[queue], first_name="Priya", last_name="Shah")
    manager = factories.user(User.Role.MANAGER, first_name="David", last_name="Chen")
    factories.ladder(queue, rungs=[("Duty clinician", 0, EscalationRung.People.QUEUE_CLINICIANS, []),
                                   ("Service manager", 30, EscalationRung.People.NAMED, [manager])])
    referral = factories.referral(need=falls, actor=factories.user(),
                                  received_at=timezone.now() - timedelta(minutes=130))
    escalations_fire_due()  # what beat does

    page = new_page()
    login(page, live_server, clinician.username)
    notifications = page.get_by_test_id("notifications-link")
    expect(notifications).to_contain_text("1")
    notifications.click()
    page.get_by_role("button", name=f"Duty clinician: Referral {referral.reference}").click()

    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter acknowledgement note")
    page.get_by_label("Acknowledgement note").fill("Calling the patient's daughter now")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_test_id("escalation-status")).to_contain_text("Acknowledged by Priya Shah")
    expect(page.get_by_test_id("notifications-link")).not_to_contain_text("1")

    boss = new_page()
    login(boss, live_server, manager.username)
    boss.get_by_role("navigation", name="Menu").get_by_role("link", name="Escalations").click()
    row = boss.get_by_test_id("escalations").get_by_role("row").filter(has_text=referral.reference)
    expect(row).to_contain_text("Duty clinician")
    expect(row).to_contain_text("Priya Shah")

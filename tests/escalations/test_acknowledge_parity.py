"""Acknowledging an escalation from its page and over the API is one service: the same records,
history and timeline either way, and the same refusals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from escalations import services
from escalations.models import Clock, Escalation
from tests import factories

MIN = timedelta(minutes=1)


@pytest.fixture
def two_escalated(physical_ladder, falls, call_handler, clinician, other_clinician):
    """Two referrals received together, both escalated to the duty clinicians just now."""
    received = timezone.now() - 125 * MIN
    referrals = [factories.referral(need=falls, actor=call_handler, received_at=received) for _ in range(2)]
    services.escalations_fire_due()
    return [(referral, Escalation.objects.get(rung=1, clock__subject_id=referral.pk)) for referral in referrals]


def acknowledge_on_the_page(client, person, escalation, note):
    client.force_login(person)
    return client.post(reverse("escalations:escalation_detail", args=[escalation.public_id]), {"note": note})


def acknowledge_over_the_api(person, escalation, note):
    api = APIClient()
    api.force_authenticate(person)
    return api.post(f"/api/v1/escalations/{escalation.public_id}/acknowledge/", {"note": note}, format="json")


def left_behind(referral, escalation) -> dict:
    """What acknowledging leaves: the step, its history, its clock's hold on the next rung, the timeline."""
    escalation.refresh_from_db()
    clock = Clock.objects.get(pk=escalation.clock_id)
    return {
        "escalation": (escalation.acknowledged_by, escalation.acknowledgement_note, escalation.de_escalated_at),
        "history": [(h.history_type, h.history_user, h.acknowledgement_note) for h in
                    escalation.history.order_by("history_id")],
        "clock": (clock.state, clock.rung, clock.next_rung_at - escalation.acknowledged_at),
        "clock history users": [h.history_user for h in clock.history.order_by("history_id")],
        "timeline": [(e.kind, e.summary.replace(referral.reference, "REF"), e.actor) for e in
                     referral.timeline.order_by("pk")],
    }


def test_acknowledging_on_the_page_and_over_the_api_leave_the_same_records(client, two_escalated, clinician):
    (on_page, page_step), (over_api, api_step) = two_escalated

    assert acknowledge_on_the_page(client, clinician, page_step, "Calling the patient now").status_code == 302
    assert acknowledge_over_the_api(clinician, api_step, "Calling the patient now").status_code == 200

    page, api = left_behind(on_page, page_step), left_behind(over_api, api_step)
    assert page == api
    assert page["escalation"] == (clinician, "Calling the patient now", None)
    assert page["clock"][2] == 15 * MIN  # the duty lead waits a full rung from the acknowledgement
    assert page["timeline"][-1][0] == "acknowledged" and page["timeline"][-1][2] == clinician


def test_both_ways_refuse_someone_it_was_not_sent_to_and_change_nothing(client, two_escalated, manager):
    (_, page_step), (_, api_step) = two_escalated

    assert acknowledge_on_the_page(client, manager, page_step, "Mine").status_code == 403
    assert acknowledge_over_the_api(manager, api_step, "Mine").status_code == 403

    assert not Escalation.objects.filter(acknowledged_at__isnull=False).exists()
    assert not Escalation.history.filter(acknowledged_at__isnull=False).exists()


def test_both_ways_refuse_a_second_person_naming_who_has_it(client, two_escalated, clinician, other_clinician):
    (_, page_step), (_, api_step) = two_escalated
    for step in (page_step, api_step):
        services.escalation_acknowledge(escalation=step, actor=clinician, note="Mine")

    page = acknowledge_on_the_page(client, other_clinician, page_step, "Mine too")
    api = acknowledge_over_the_api(other_clinician, api_step, "Mine too")

    assert page.status_code == api.status_code == 409
    assert str(clinician) in page.content.decode() and str(clinician) in api.data["detail"]
    assert set(Escalation.objects.filter(rung=1).values_list("acknowledged_by", "acknowledgement_note")) == {
        (clinician.pk, "Mine")
    }

"""The notification and escalation endpoints: one acknowledgement, with a note; the live list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from escalations.services import escalations_fire_due
from tests import factories


@pytest.mark.django_db
def test_acknowledging_twice_by_two_people_is_a_conflict(login, other_clinician, escalated, clinician):
    # Both duty clinicians were on the queue when it escalated, so both were told.
    path = f"/api/v1/escalations/{escalated.public_id}/acknowledge/"
    assert login(clinician).post(path, {"note": "Mine"}, format="json").status_code == 200

    response = login(other_clinician).post(path, {"note": "Mine too"}, format="json")

    assert response.status_code == 409
    assert str(clinician) in response.data["detail"]


@pytest.mark.django_db
def test_an_acknowledgement_needs_a_note(login, escalated, clinician):
    response = login(clinician).post(f"/api/v1/escalations/{escalated.public_id}/acknowledge/", {"note": " "},
                                     format="json")

    assert response.status_code == 400


@pytest.mark.django_db
def test_the_live_list_is_one_query_oldest_first(login, physical_ladder, falls, call_handler, clinician, manager,
                                                 django_assert_num_queries):
    now = timezone.now()
    for minutes in (200, 300):
        factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(minutes=minutes))
    # Recorded already overdue, each starts at the first rung; 20 minutes on, the duty lead
    # (nobody) is skipped and the service manager told. One recorded then starts at the first rung.
    escalations_fire_due()
    escalations_fire_due(now=now + timedelta(minutes=20))
    factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(minutes=130))
    escalations_fire_due()
    client = login(manager)

    with django_assert_num_queries(2):  # the count for the page, the page
        response = client.get("/api/v1/escalations/")

    dues = [row["due_at"] for row in response.data["results"]]
    assert len(dues) == 3 and dues == sorted(dues)
    # Each item once, at the highest rung it has reached.
    assert [row["rung_name"] for row in response.data["results"]] == ["Service manager", "Service manager",
                                                                      "Duty clinician"]

"""The follow-up call and transport API: idempotent creates, 409 for a lost race or a wrong move."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from referrals.models import FollowUpCall, TransportBooking
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_work_list_lists_due_calls_soonest_first(login, call_handler):
    end_of_today = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time.min))
    later = factories.follow_up_call(due_at=min(timezone.now() + timedelta(minutes=30), end_of_today - timedelta(seconds=1)))
    sooner = factories.follow_up_call()

    response = login(call_handler).get("/api/v1/follow-up-calls/")

    assert [row["public_id"] for row in response.data["results"]] == [str(sooner.public_id), str(later.public_id)]
    assert response.data["results"][0]["patient"]["full_name"] == sooner.patient.full_name


def test_recording_an_outcome_twice_is_a_conflict(login, call_handler):
    call = factories.follow_up_call()
    client = login(call_handler)
    url = f"/api/v1/follow-up-calls/{call.public_id}/outcome/"

    first = client.post(url, {"status": "no_answer"}, format="json")
    second = client.post(url, {"status": "answered_well"}, format="json")

    assert first.status_code == 200 and first.data["status"] == "no_answer"
    assert second.status_code == 409 and "already recorded" in second.data["detail"]
    assert FollowUpCall.objects.filter(retry_of=call).count() == 1


def test_an_outcome_that_is_not_one_is_refused(login, call_handler):
    call = factories.follow_up_call()

    response = login(call_handler).post(
        f"/api/v1/follow-up-calls/{call.public_id}/outcome/", {"status": "due"}, format="json"
    )

    assert response.status_code == 400 and "status" in response.data


def test_scheduling_with_the_same_key_twice_makes_one_call(login, call_handler):
    patient = factories.patient()
    body = {"patient": str(patient.public_id), "due_at": (timezone.now() + timedelta(days=1)).isoformat(),
            "reason": "Asked for a call back"}
    client = login(call_handler)

    first = client.post("/api/v1/follow-up-calls/", body, format="json", HTTP_IDEMPOTENCY_KEY="once")
    again = client.post("/api/v1/follow-up-calls/", body, format="json", HTTP_IDEMPOTENCY_KEY="once")

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.data["public_id"] == again.data["public_id"]


def test_a_booking_goes_through_its_states_and_refuses_a_wrong_move_with_409(login, call_handler):
    patient = factories.patient()
    client = login(call_handler)
    created = client.post(
        "/api/v1/transport-bookings/",
        {"patient": str(patient.public_id), "pickup_from": "Home", "destination": "Day hospital",
         "pickup_at": (timezone.now() + timedelta(hours=2)).isoformat(), "mobility": "wheelchair",
         "escort_needed": True},
        format="json",
        HTTP_IDEMPOTENCY_KEY="book-1",
    )
    url = f"/api/v1/transport-bookings/{created.data['public_id']}/transition/"

    assert created.status_code == 201 and created.data["status"] == "requested"
    assert client.post(url, {"status": "booked"}, format="json").data["status"] == "booked"
    assert client.post(url, {"status": "completed"}, format="json").data["status"] == "completed"
    refused = client.post(url, {"status": "cancelled", "cancel_reason": "Too late"}, format="json")
    assert refused.status_code == 409 and "completed" in refused.data["detail"]
    assert TransportBooking.objects.get().status == TransportBooking.Status.COMPLETED


def test_cancelling_without_a_reason_is_a_bad_request(login, call_handler):
    booking = factories.transport_booking(actor=call_handler)

    response = login(call_handler).post(
        f"/api/v1/transport-bookings/{booking.public_id}/transition/", {"status": "cancelled"}, format="json"
    )

    assert response.status_code == 400 and "cancel_reason" in response.data


def test_a_booking_without_a_key_is_refused(login, call_handler):
    response = login(call_handler).post("/api/v1/transport-bookings/", {}, format="json")

    assert response.status_code == 400 and "Idempotency-Key" in response.data


def test_a_patient_is_registered_with_a_practice_by_ods_code(login, call_handler):
    practice = factories.gp_practice(name="Riverside Surgery", ods_code="Y90002")
    client = login(call_handler)
    body = {"given_name": "Sam", "family_name": "Patel", "date_of_birth": "1950-01-01"}

    made = client.post("/api/v1/patients/", {**body, "gp_practice": "Y90002"}, format="json")
    unknown = client.post("/api/v1/patients/", {**body, "gp_practice": "Z99999"}, format="json")

    assert made.status_code == 201
    assert (made.data["gp_practice"], made.data["gp_practice_display"]) == ("Y90002", practice.name)
    assert unknown.status_code == 400 and "No GP practice with ODS code" in str(unknown.data["gp_practice"])

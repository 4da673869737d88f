"""The call handlers' work list, follow-up call and transport pages."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import FollowUpCall, TransportBooking
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def handler_client(client, call_handler):
    client.force_login(call_handler)
    return client


def overdue_call(**kwargs):
    call = factories.follow_up_call(**kwargs)
    FollowUpCall.objects.filter(pk=call.pk).update(due_at=timezone.now() - timedelta(hours=2))
    return call


def test_the_work_list_is_one_query_however_many_calls(handler_client, django_assert_num_queries):
    url = reverse("referrals:follow_up_work_list")
    overdue_call()
    handler_client.get(url)

    # session, user, the calls with their patients, unread notifications (the header)
    with django_assert_num_queries(4):
        handler_client.get(url)
    for _ in range(5):
        overdue_call()
    with django_assert_num_queries(4):
        response = handler_client.get(url)
    assert len(response.context["calls"]) == 6
    assert "Overdue by 2 hours" in response.content.decode()


def test_the_transport_list_is_one_query_however_many_bookings(
    handler_client, call_handler, django_assert_num_queries
):
    url = reverse("referrals:transport_list")
    factories.transport_booking(actor=call_handler)
    handler_client.get(url)

    # session, user, the bookings with their patients and who changed them, unread notifications (the header)
    with django_assert_num_queries(4):
        handler_client.get(url)
    for _ in range(5):
        factories.transport_booking(actor=call_handler)
    with django_assert_num_queries(4):
        response = handler_client.get(url)
    assert len(response.context["bookings"]) == 6


def test_recording_an_outcome_takes_the_call_off_the_work_list(handler_client, call_handler):
    call = overdue_call()

    response = handler_client.post(
        reverse("referrals:follow_up_call_detail", args=[call.public_id]),
        {"status": "answered_well", "note": "Walking with a frame, eating well"},
        follow=True,
    )

    call.refresh_from_db()
    assert call.status == FollowUpCall.Status.ANSWERED_WELL and call.outcome_by == call_handler
    assert response.context["calls"] == []


def test_concerns_without_a_note_are_refused_and_the_choice_is_kept(handler_client):
    call = overdue_call()

    response = handler_client.post(
        reverse("referrals:follow_up_call_detail", args=[call.public_id]), {"status": "answered_concerns", "note": ""}
    )

    page = response.content.decode()
    assert "There is a problem" in page and "Enter the concerns the patient raised" in page
    assert re.search(r'<input[^>]*value="answered_concerns"[^>]*checked', page)


def test_concerns_offer_a_referral_for_the_patient(handler_client):
    call = overdue_call()

    response = handler_client.post(
        reverse("referrals:follow_up_call_detail", args=[call.public_id]),
        {"status": "answered_concerns", "note": "Short of breath, ankles swollen"},
        follow=True,
    )

    assert reverse("referrals:referral_create", args=[call.patient.public_id]) in response.content.decode()


def test_a_call_someone_else_recorded_says_who_and_keeps_the_note(handler_client):
    call = overdue_call()
    other = factories.user(first_name="Sarah", last_name="Whitfield")
    services.follow_up_call_record_outcome(call=call, actor=other, status="no_answer")

    response = handler_client.post(
        reverse("referrals:follow_up_call_detail", args=[call.public_id]),
        {"status": "answered_well", "note": "Doing fine"},
    )

    page = response.content.decode()
    assert "already recorded as “No answer” by Sarah Whitfield" in page
    assert "Doing fine" in page


def test_scheduling_a_call_by_hand_twice_makes_one_call(handler_client):
    patient = factories.patient()
    url = reverse("referrals:follow_up_call_schedule", args=[patient.public_id])
    key = handler_client.get(url).context["form"].initial["submission_key"]
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {"submission_key": key, "due_date": tomorrow.strftime("%d %m %Y"), "due_time": "10:30",
            "reason": "Asked for a call back"}

    handler_client.post(url, data)
    response = handler_client.post(url, data, follow=True)

    assert FollowUpCall.objects.filter(patient=patient).count() == 1
    assert "already scheduled" in response.content.decode()


def test_a_call_in_the_past_is_refused_and_what_was_typed_kept(handler_client):
    patient = factories.patient()
    url = reverse("referrals:follow_up_call_schedule", args=[patient.public_id])

    response = handler_client.post(url, {"submission_key": "k1", "due_date": "1 1 2020", "due_time": "10:00",
                                         "reason": "Asked for a call back"})

    page = response.content.decode()
    assert "Enter a time from now on" in page
    assert "Asked for a call back" in page
    assert 'name="due_date_day" value="1"' in page and 'name="due_date_year" value="2020"' in page
    assert not FollowUpCall.objects.exists()


def booking_data(**overrides):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = {
        "submission_key": "booking-1",
        "pickup_from": "12 Chapel Row, Northfield",
        "destination": "Renal unit, Northfield General Hospital",
        "pickup_date": tomorrow.strftime("%d/%m/%Y"),
        "pickup_time": "08:15",
        "mobility": "stretcher",
        "escort_needed": "on",
        "notes": "Oxygen",
    }
    return {**data, **overrides}


def test_booking_transport_twice_makes_one_booking(handler_client):
    patient = factories.patient()
    url = reverse("referrals:transport_create", args=[patient.public_id])

    handler_client.post(url, booking_data())
    response = handler_client.post(url, booking_data(), follow=True)

    booking = TransportBooking.objects.get()
    assert booking.mobility == "stretcher" and booking.escort_needed
    assert timezone.localtime(booking.pickup_at).strftime("%H:%M") == "08:15"
    assert "already requested" in response.content.decode()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("pickup_time", "25:00", "Enter a real time"),
        ("pickup_date", "31 2 2027", "Enter a real date"),
        ("mobility", "", "Select mobility"),
        ("destination", "12 chapel row, northfield", "different from the pick-up address"),
        ("pickup_date", "1 1 2020", "pick-up time from now on"),
    ],
)
def test_bad_booking_details_are_refused_and_what_was_typed_kept(handler_client, field, value, message):
    patient = factories.patient()

    response = handler_client.post(
        reverse("referrals:transport_create", args=[patient.public_id]), booking_data(**{field: value})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Renal unit" in page or field == "destination"
    assert not TransportBooking.objects.exists()


def test_a_move_the_booking_cannot_make_is_refused_with_a_reason(handler_client, call_handler):
    booking = factories.transport_booking(actor=call_handler)
    url = reverse("referrals:transport_detail", args=[booking.public_id])
    services.transport_booking_cancel(booking=booking, actor=call_handler, reason="Admitted")
    response = handler_client.post(url, {"status": "booked"})

    assert "Select a valid choice" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == TransportBooking.Status.CANCELLED


def test_cancelling_without_a_reason_is_refused_then_with_one_is_done(handler_client, call_handler):
    booking = factories.transport_booking(actor=call_handler)
    url = reverse("referrals:transport_detail", args=[booking.public_id])

    response = handler_client.post(url, {"status": "cancelled", "cancel_reason": ""})
    assert "Enter why the transport is cancelled" in response.content.decode()

    response = handler_client.post(url, {"status": "cancelled", "cancel_reason": "Admitted to ward 7"}, follow=True)
    booking.refresh_from_db()
    assert booking.status == TransportBooking.Status.CANCELLED
    assert "Cancelled: Admitted to ward 7" in response.content.decode()


def test_the_patient_form_offers_gp_practices_by_name_and_ods_code(handler_client):
    factories.gp_practice(name="Riverside Surgery", ods_code="Y90002")
    factories.organisation(name="Northfield Council")

    form = handler_client.get(reverse("referrals:patient_create")).context["form"]

    labels = [label for _, label in form.fields["gp_practice"].choices]
    assert labels == ["Not known", "Riverside Surgery (Y90002)"]

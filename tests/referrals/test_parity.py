"""The pages and the API call the same services: each write both offer, done both ways, leaves the
same records, the same history (rows and history_user) and the same timeline.

The contact log (log, amend, signpost, raise a referral from a contact) has pages and no API, so it
has no parity to keep; its rules are tested against its services in test_contacts.py.
"""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ccc.models import User
from referrals.models import CallBackRequest, FollowUpCall, Patient, Referral, TransportBooking
from tests import factories
from tests.parity import TRACKED, both_ways
from triage.models import RedFlagQuestion, ResponseTarget

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + timedelta(days=1)
PICKUP_AT = timezone.make_aware(datetime.combine(TOMORROW, time(8, 15)))


@pytest.fixture
def page(client, call_handler):
    client.force_login(call_handler)
    return client


@pytest.fixture
def api(call_handler):
    client = APIClient()
    client.force_authenticate(user=User.objects.get(pk=call_handler.pk))
    return client


def ok(response, *statuses):
    """The response, once it is shown to be one of ``statuses``: a refused write would compare equal too."""
    assert response.status_code in statuses, getattr(response, "data", response.content[:500])
    return response


def assert_same(by_page, by_api, *, wrote):
    """Both ways wrote the same, and wrote something: ``wrote`` names a table each must have added to."""
    assert by_page == by_api
    assert by_page[wrote], f"neither way wrote a {wrote}"


def test_a_patient_recorded_on_the_page_or_over_the_api_is_the_same_patient(page, api, practice):
    person = {"given_name": "Ruth", "family_name": "Ellis", "postcode": "NF1 2AB", "address": "3 Mill Lane"}

    by_page, by_api = both_ways(
        lambda: ok(page.post(reverse("referrals:patient_create"), {
            **person, "nhs_number": "999 000 0018", "date_of_birth": "3 4 1948", "gp_practice": practice.pk,
        }), 302),
        lambda: ok(api.post("/api/v1/patients/", {
            **person, "nhs_number": "9990000018", "date_of_birth": "1948-04-03", "gp_practice": practice.ods_code,
        }, format="json"), 201),
    )

    assert_same(by_page, by_api, wrote="Patient history")
    assert by_api["Patient"][-1]["gp_practice"] == practice.pk


def test_a_referral_made_on_the_page_or_over_the_api_is_routed_and_recorded_alike(page, api, falls, practice):
    patient = factories.patient()
    referral = {
        "referrer_type": "gp", "referrer_name": "Dr Patel", "referrer_organisation": "Ash Tree Surgery",
        "referrer_phone": "0113 496 0000", "reason": "Fell twice this week", "needs_description": "Home today",
    }

    # The channel is where it came in (the page: by phone; the API: electronic), so it alone may differ.
    by_page, by_api = both_ways(
        lambda: ok(page.post(reverse("referrals:referral_create", args=[patient.public_id]), {
            **referral, "submission_key": "same-key", "need": falls.pk, "referring_practice": practice.pk,
        }), 302),
        lambda: ok(api.post("/api/v1/referrals/", {
            **referral, "patient": str(patient.public_id), "need": falls.code, "referring_practice": practice.ods_code,
        }, format="json", HTTP_IDEMPOTENCY_KEY="same-key"), 201),
        ignore={"channel"},
    )

    assert_same(by_page, by_api, wrote="TimelineEvent")
    assert [event["kind"] for event in by_api["TimelineEvent"]] == ["received", "routed"]
    assert by_api["QueueItem"] and by_api["Referral history"][-1]["history_user"] is not None
    assert list(Referral.objects.values_list("channel", flat=True)) == [Referral.Channel.ELECTRONIC]


def test_a_referral_screened_on_the_page_or_over_the_api_gets_the_same_urgency_and_due_time(page, api, falls):
    patient = factories.patient()
    floor = RedFlagQuestion.objects.create(need=falls, question="Still on the floor?", urgency="very_urgent")
    head = RedFlagQuestion.objects.create(need=falls, question="Hit their head and drowsy?", urgency="emergency")
    ResponseTarget.objects.create(queue=falls.routing_rule.queue, priority="emergency", triage_minutes=10, response_minutes=60)
    referral = {"referrer_type": "carer", "referrer_name": "Ann Lee", "reason": "Fell, hit her head, now drowsy"}

    by_page, by_api = both_ways(
        lambda: ok(page.post(reverse("referrals:referral_create", args=[patient.public_id]), {
            **referral, "submission_key": "same-key", "need": falls.pk, "red_flags": [floor.pk, head.pk],
            "emergency_advice_given": "on",
        }), 302),
        lambda: ok(api.post("/api/v1/referrals/", {
            **referral, "patient": str(patient.public_id), "need": falls.code, "red_flags": [floor.pk, head.pk],
            "emergency_advice_given": True,
        }, format="json", HTTP_IDEMPOTENCY_KEY="same-key"), 201),
        ignore={"channel"},
    )

    assert_same(by_page, by_api, wrote="QueueItem")
    made = Referral.objects.get()
    assert (made.urgency, made.emergency_advice_given, made.queue_item.urgency) == ("emergency", True, "emergency")
    assert made.queue_item.due_at == made.received_at + timedelta(minutes=10)


def test_a_follow_up_call_scheduled_on_the_page_or_over_the_api_is_the_same_call(page, api):
    patient = factories.patient()
    reason = "Check the new tablets suit her"

    by_page, by_api = both_ways(
        lambda: ok(page.post(reverse("referrals:follow_up_call_schedule", args=[patient.public_id]), {
            "submission_key": "same-key", "due_date": TOMORROW.strftime("%d %m %Y"), "due_time": "08:15", "reason": reason,
        }), 302),
        lambda: ok(api.post("/api/v1/follow-up-calls/", {
            "patient": str(patient.public_id), "due_at": PICKUP_AT.isoformat(), "reason": reason,
        }, format="json", HTTP_IDEMPOTENCY_KEY="same-key"), 201),
    )

    assert_same(by_page, by_api, wrote="FollowUpCall")
    assert by_api["Clock"][-1]["kind"] == "follow_up_call"


@pytest.mark.parametrize(
    "status, note", [("answered_well", ""), ("answered_concerns", "Short of breath"), ("no_answer", ""), ("declined", "")]
)
def test_a_call_outcome_recorded_on_the_page_or_over_the_api_is_recorded_alike(page, api, call_handler, status, note):
    call = factories.follow_up_call(actor=call_handler)

    by_page, by_api = both_ways(
        lambda: ok(page.post(
            reverse("referrals:follow_up_call_detail", args=[call.public_id]), {"status": status, "note": note}
        ), 302),
        lambda: ok(api.post(
            f"/api/v1/follow-up-calls/{call.public_id}/outcome/", {"status": status, "note": note}, format="json"
        ), 200),
    )

    assert_same(by_page, by_api, wrote="FollowUpCall history")
    assert by_api["FollowUpCall"][0]["status"] == status
    # No answer schedules the retry both ways.
    assert len(by_api["FollowUpCall"]) == (2 if status == "no_answer" else 1)


def test_transport_booked_on_the_page_or_over_the_api_is_the_same_booking(page, api):
    patient = factories.patient()
    booking = {
        "pickup_from": "12 Chapel Row, Northfield", "destination": "Renal unit, Northfield General Hospital",
        "mobility": "stretcher", "notes": "Oxygen",
    }

    by_page, by_api = both_ways(
        lambda: ok(page.post(reverse("referrals:transport_create", args=[patient.public_id]), {
            **booking, "submission_key": "same-key", "pickup_date": TOMORROW.strftime("%d/%m/%Y"),
            "pickup_time": "08:15", "escort_needed": "on",
        }), 302),
        lambda: ok(api.post("/api/v1/transport-bookings/", {
            **booking, "patient": str(patient.public_id), "pickup_at": PICKUP_AT.isoformat(), "escort_needed": True,
        }, format="json", HTTP_IDEMPOTENCY_KEY="same-key"), 201),
    )

    assert_same(by_page, by_api, wrote="TransportBooking")
    assert by_api["Clock"][-1]["kind"] == "transport_booking"


@pytest.mark.parametrize(
    "start, status, cancel_reason",
    [
        (TransportBooking.Status.REQUESTED, "booked", ""),
        (TransportBooking.Status.BOOKED, "completed", ""),
        (TransportBooking.Status.REQUESTED, "cancelled", "Family will drive"),
        (TransportBooking.Status.BOOKED, "cancelled", "Admitted overnight"),
    ],
)
def test_each_transport_move_on_the_page_or_over_the_api_is_recorded_alike(
    page, api, call_handler, start, status, cancel_reason
):
    booking = factories.transport_booking(actor=call_handler)
    if start == TransportBooking.Status.BOOKED:
        from referrals import services

        booking = services.transport_booking_book(booking=booking, actor=call_handler)

    by_page, by_api = both_ways(
        lambda: ok(page.post(
            reverse("referrals:transport_detail", args=[booking.public_id]),
            {"status": status, "cancel_reason": cancel_reason},
        ), 302),
        lambda: ok(api.post(
            f"/api/v1/transport-bookings/{booking.public_id}/transition/",
            {"status": status, "cancel_reason": cancel_reason}, format="json",
        ), 200),
    )

    assert_same(by_page, by_api, wrote="TransportBooking history")
    assert by_api["TransportBooking"][0]["status"] == status
    assert by_api["TransportBooking history"][-1]["status"] == status


def test_the_snapshot_tells_two_different_writes_apart(page, api, call_handler):
    """The helper itself: a different outcome each way does not compare equal."""
    call = factories.follow_up_call(actor=call_handler)
    url = f"/api/v1/follow-up-calls/{call.public_id}/outcome/"

    by_page, by_api = both_ways(
        lambda: ok(api.post(url, {"status": "answered_well"}, format="json"), 200),
        lambda: ok(api.post(url, {"status": "declined"}, format="json"), 200),
    )

    assert by_page != by_api
    assert FollowUpCall.objects.get().status == "declined" and Patient.objects.count() == 1


@pytest.mark.parametrize("status, note", [("called_back", "Spoke to her: dressings tomorrow"), ("closed", "Rang again, put through")])
def test_a_call_back_recorded_on_the_page_or_over_the_api_is_recorded_alike(page, api, call_handler, status, note):
    request = factories.call_back(actor=call_handler, team_=factories.team())
    tracked = [*TRACKED, CallBackRequest]

    by_page, by_api = both_ways(
        lambda: ok(page.post(reverse("referrals:call_back_detail", args=[request.public_id]),
                             {"status": status, "note": note}), 302),
        lambda: ok(api.post(f"/api/v1/call-backs/{request.public_id}/record/", {"status": status, "note": note},
                            format="json"), 200),
        tracked=tracked,
    )

    assert_same(by_page, by_api, wrote="CallBackRequest history")
    assert by_api["CallBackRequest"][0]["status"] == status
    assert by_api["Clock"][0]["state"] == "answered"


def test_a_safety_alert_raised_on_the_page_or_over_the_api_is_the_same_alert(page, api):
    from referrals.models import SafetyAlert

    patient = factories.patient()
    review = timezone.localdate() + timedelta(days=60)
    alert = {"category": "risk_to_staff", "detail": "Son can be aggressive: visit in pairs"}

    by_page, by_api = both_ways(
        lambda: ok(page.post(reverse("referrals:safety_alert_raise", args=[patient.public_id]),
                             {**alert, "review_on": review.strftime("%d %m %Y")}), 302),
        lambda: ok(api.post(f"/api/v1/patients/{patient.public_id}/alerts/", {**alert, "review_on": review.isoformat()},
                            format="json"), 201),
        tracked=[SafetyAlert],
    )

    assert_same(by_page, by_api, wrote="SafetyAlert history")


def test_a_phone_number_and_next_of_kin_added_on_the_page_or_over_the_api_are_the_same(page, api):
    from referrals.models import PatientPhone, PatientSupportPerson

    patient = factories.patient()
    phone = {"number": "0113 496 0000", "kind": "home", "note": "Best after 10am"}
    person = {"name": "Ann Smith", "relationship": "daughter", "phone": "0113 496 0001"}

    def by_page_():
        ok(page.post(reverse("referrals:patient_phone_add", args=[patient.public_id]), phone), 302)
        ok(page.post(reverse("referrals:patient_support_person_add", args=[patient.public_id]),
                     {**person, "is_next_of_kin": "on"}), 302)

    def by_api_():
        ok(api.post(f"/api/v1/patients/{patient.public_id}/phones/", phone, format="json"), 201)
        ok(api.post(f"/api/v1/patients/{patient.public_id}/people/", {**person, "is_next_of_kin": True}, format="json"), 201)

    by_page, by_api = both_ways(by_page_, by_api_, tracked=[PatientPhone, PatientSupportPerson])

    assert_same(by_page, by_api, wrote="PatientPhone history")
    assert by_api["PatientSupportPerson"]


def test_communication_needs_set_on_the_page_or_over_the_api_are_the_same(page, api):
    patient = factories.patient()
    needs = {"preferred_language": "Polish", "communication_needs": ["large_print", "hearing_loop"]}

    by_page, by_api = both_ways(
        lambda: ok(page.post(reverse("referrals:patient_details", args=[patient.public_id]),
                             {**needs, "interpreter_needed": "on"}), 302),
        lambda: ok(api.post(f"/api/v1/patients/{patient.public_id}/communication/", {**needs, "interpreter_needed": True},
                            format="json"), 200),
        tracked=[Patient],
    )

    assert_same(by_page, by_api, wrote="Patient history")
    assert by_api["Patient"][-1]["preferred_language"] == "Polish"

"""A GP practice or ward sends its own referral: the same intake as a call handler's, tracked by the sender."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ccc.models import Organisation, User
from referrals.models import Patient, Referral, TimelineEvent
from tests import factories
from tests.parity import both_ways

pytestmark = pytest.mark.django_db

SEND_API = "/api/v1/tracked-referrals/"
PERSON = {"nhs_number": "9990000018", "given_name": "Ruth", "family_name": "Ellis", "postcode": "LS1 4AP"}
REFERRAL = {"reason": "Fell twice this week", "needs_description": "Home today", "referrer_phone": "0113 496 0000"}


def api_as(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=User.objects.get(pk=user.pk))
    return client


def page_form(falls, key="same-key", **overrides) -> dict:
    return {**PERSON, **REFERRAL, "date_of_birth": "3 4 1948", "need": falls.pk, "submission_key": key, **overrides}


def api_body(falls, **overrides) -> dict:
    return {**PERSON, **REFERRAL, "date_of_birth": "1948-04-03", "need": falls.code, **overrides}


def test_a_referrer_sends_a_referral_that_is_routed_with_its_clock_and_lands_in_their_tracking(
    client, referrer, practice, falls
):
    client.force_login(referrer)

    response = client.post(reverse("referrals:referral_send"), page_form(falls))

    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:tracking_detail", args=[referral.public_id])
    assert referral.channel == Referral.Channel.ELECTRONIC
    assert referral.referring_practice == practice
    assert referral.referrer_type == Referral.ReferrerType.GP
    assert referral.referrer_organisation == "Ash Tree Surgery"
    assert referral.referrer_name == referrer.get_full_name()
    assert referral.queue_item.queue.code == "physical-health" and referral.queue_item.due_at
    assert list(referral.timeline.values_list("kind", flat=True)) == [TimelineEvent.Kind.RECEIVED, TimelineEvent.Kind.ROUTED]
    # The patient is recorded once, registered with the practice that referred.
    assert Patient.objects.get().gp_practice == practice
    tracking = client.get(reverse("referrals:tracking_list"))
    assert referral.reference in tracking.content.decode()


def test_a_second_click_sends_one_referral(client, referrer, falls):
    client.force_login(referrer)

    for _ in range(2):
        client.post(reverse("referrals:referral_send"), page_form(falls))

    assert Referral.objects.count() == 1


def test_a_known_nhs_number_refers_the_recorded_patient_and_a_mismatch_is_refused_keeping_the_form(
    client, referrer, falls
):
    recorded = factories.patient(nhs_number="9990000018", family_name="Ellis", date_of_birth=date(1948, 4, 3))
    client.force_login(referrer)

    wrong = client.post(reverse("referrals:referral_send"), page_form(falls, key="a", date_of_birth="4 4 1948"))
    right = client.post(reverse("referrals:referral_send"), page_form(falls, key="b"))

    assert wrong.status_code == 200
    assert "different date of birth" in wrong.content.decode()
    assert "Fell twice this week" in wrong.content.decode()  # nothing typed is lost
    assert right.status_code == 302
    assert Referral.objects.get().patient == recorded and Patient.objects.count() == 1


def test_a_ward_referrer_sends_as_their_ward(falls):
    ward = factories.team(name="Ward 7", organisation=factories.organisation(name="General Hospital"))
    nurse = factories.user(User.Role.REFERRER, team=ward)

    response = api_as(nurse).post(SEND_API, api_body(falls), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 201, response.data
    referral = Referral.objects.get()
    assert referral.referring_ward == ward and referral.referrer_type == Referral.ReferrerType.WARD
    assert referral.referrer_organisation == "Ward 7, General Hospital"


def test_a_referrer_with_no_practice_or_ward_is_told_why_and_nothing_is_recorded(falls):
    adrift = factories.user(User.Role.REFERRER)

    response = api_as(adrift).post(SEND_API, api_body(falls), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 400
    assert "names no GP practice or hospital ward" in str(response.data)
    assert not Referral.objects.exists() and not Patient.objects.exists()


def test_over_the_api_the_sender_gets_the_tracking_facts_and_a_resend_the_same_referral(referrer, falls):
    first = api_as(referrer).post(SEND_API, api_body(falls), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api_as(referrer).post(SEND_API, api_body(falls), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    changed = api_as(referrer).post(SEND_API, api_body(falls, reason="Other"), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert first.status_code == 201 and again.status_code == 200 and changed.status_code == 422
    assert first.data["stage"] == "queued" and first.data["public_id"] == again.data["public_id"]
    assert api_as(referrer).get(SEND_API).data["count"] == 1


def test_a_bad_nhs_number_is_refused_with_the_field_named(referrer, falls):
    response = api_as(referrer).post(
        SEND_API, api_body(falls, nhs_number="9990000019"), format="json", HTTP_IDEMPOTENCY_KEY="k1"
    )

    assert response.status_code == 400 and "nhs_number" in response.data


@pytest.mark.parametrize("role", [role for role in User.Role.values if role != User.Role.REFERRER])
def test_only_referrers_may_send(falls, role):
    staff = factories.user(role, organisation=factories.gp_practice())

    assert api_as(staff).post(SEND_API, api_body(falls), format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 403


def test_another_practice_does_not_see_the_referral_sent(referrer, other_referrer, falls):
    api_as(referrer).post(SEND_API, api_body(falls), format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert api_as(other_referrer).get(SEND_API).data["count"] == 0


def test_a_referral_sent_on_the_page_or_over_the_api_is_recorded_alike(client, referrer, falls):
    client.force_login(referrer)

    by_page, by_api = both_ways(
        lambda: client.post(reverse("referrals:referral_send"), page_form(falls)),
        lambda: api_as(referrer).post(SEND_API, api_body(falls), format="json", HTTP_IDEMPOTENCY_KEY="same-key"),
    )

    assert by_page == by_api
    assert [event["kind"] for event in by_api["TimelineEvent"]] == ["received", "routed"]
    assert by_api["Patient"] and by_api["QueueItem"] and by_api["Clock"]
    assert Organisation.objects.get(pk=by_api["Referral"][0]["referring_practice"]).name == "Ash Tree Surgery"

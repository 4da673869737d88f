"""An Idempotency-Key stands for one request: the same body again gets the first record back, a
different body under the same key is refused with 422 rather than silently answered with a record
the caller did not ask for."""

from datetime import timedelta

import pytest
from django.utils import timezone

from discharge.models import RegisterEntry
from irr.models import Visit
from referrals.models import FollowUpCall, Referral, TransportBooking
from tests import factories

pytestmark = pytest.mark.django_db


def _endpoints(referral_body, toc_body):
    """(url, model, who, body, the same body changed) for each API write that keeps a key."""
    patient = str(factories.patient().public_id)
    soon = (timezone.now() + timedelta(hours=2)).isoformat()
    return [
        ("/api/v1/referrals/", Referral, "call_handler", referral_body(), {"reason": "Chest pain since this morning"}),
        ("/api/v1/follow-up-calls/", FollowUpCall, "call_handler",
         {"patient": patient, "due_at": soon, "reason": "Asked for a call back"}, {"reason": "Check medication"}),
        ("/api/v1/transport-bookings/", TransportBooking, "call_handler",
         {"patient": patient, "pickup_from": "Home", "destination": "Day hospital", "pickup_at": soon,
          "mobility": "wheelchair"}, {"destination": "Outpatients, Northfield General"}),
        ("/api/v1/toc/register/", RegisterEntry, "toc_nurse", toc_body, {"consultant": "Dr Okafor"}),
    ]


@pytest.mark.parametrize("index", range(4), ids=["referral", "follow-up call", "transport booking", "TOC register"])
def test_the_same_key_with_a_different_body_is_refused_with_422(request, login, referral_body, toc_body, index):
    url, model, who, body, change = _endpoints(referral_body, toc_body)[index]
    client = login(request.getfixturevalue(who))

    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    same = client.post(url, dict(reversed(body.items())), format="json", HTTP_IDEMPOTENCY_KEY="key-1")
    different = client.post(url, {**body, **change}, format="json", HTTP_IDEMPOTENCY_KEY="key-1")

    assert (first.status_code, same.status_code) == (201, 200), (first.data, same.data)
    assert same.data["public_id"] == first.data["public_id"]
    assert different.status_code == 422, different.data
    assert different.data["code"] == "idempotency_key_reused"
    assert "different request body" in different.data["detail"] and "new key" in different.data["detail"]
    assert model.objects.count() == 1


def test_a_new_key_with_the_changed_body_makes_a_second_record(login, call_handler, referral_body):
    client = login(call_handler)
    client.post("/api/v1/referrals/", referral_body(), format="json", HTTP_IDEMPOTENCY_KEY="a")

    response = client.post(
        "/api/v1/referrals/", referral_body(reason="Another fall"), format="json", HTTP_IDEMPOTENCY_KEY="b"
    )

    assert response.status_code == 201
    assert Referral.objects.count() == 2


def test_the_pages_double_submit_still_returns_the_first_referral(client, call_handler, adult, falls):
    client.force_login(call_handler)
    url = f"/referrals/new/{adult.public_id}/"
    form = {
        "need": falls.pk, "referrer_type": "gp", "referrer_name": "Dr Jones", "reason": "Fall at home",
        "submission_key": "form-key-1",
    }
    first = client.post(url, form)
    again = client.post(url, {**form, "reason": "Fall at home, typed again"})

    assert first.status_code == 302 and again.status_code == 302, again.content[:500]
    assert again.url == first.url
    assert Referral.objects.count() == 1


def test_an_irr_visit_key_reused_with_a_different_body_is_refused_with_422(login, referral, irr_clinician):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician)
    episode = factories.episode(decision=decision, lead=irr_clinician)
    nurse = factories.member(episode_=episode)
    url = f"/api/v1/irr-episodes/{episode.public_id}/visits/"
    body = {"kind": "planned", "scheduled_for": (timezone.now() + timedelta(hours=1)).isoformat(), "staff": [nurse.pk]}
    client = login(irr_clinician)

    first = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="visit-1")
    same = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="visit-1")
    later = {**body, "scheduled_for": (timezone.now() + timedelta(hours=5)).isoformat()}
    different = client.post(url, later, format="json", HTTP_IDEMPOTENCY_KEY="visit-1")

    assert first.status_code == 201 and same.data["public_id"] == first.data["public_id"]
    assert different.status_code == 422 and different.data["code"] == "idempotency_key_reused"
    assert Visit.objects.count() == 1

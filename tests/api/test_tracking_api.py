"""Referral tracking over the API, for a GP system: its own referrals' tracking facts, by token."""

import pytest
from rest_framework.authtoken.models import Token

from tests import factories
from triage import services as triage_services

TRACKING_FIELDS = {
    "public_id", "reference", "patient", "received_at", "stage", "stage_label", "queue", "team", "next_step", "triaged_at",
    "journey", "cancellable",
}


@pytest.mark.django_db
def test_a_gp_system_tracks_its_practices_referrals_with_a_token(api, referrer, practice_referral, falls, call_handler):
    factories.referral(need=falls, actor=call_handler, referring_practice=factories.gp_practice())
    token = Token.objects.create(user=referrer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = api.get("/api/v1/tracked-referrals/")

    assert response.status_code == 200
    assert [row["reference"] for row in response.data["results"]] == [practice_referral.reference]
    row = response.data["results"][0]
    assert set(row) == TRACKING_FIELDS
    assert set(row["patient"]) == {"full_name", "nhs_number", "date_of_birth"}
    assert row["stage"] == "queued" and row["queue"] == "Physical health duty queue"


@pytest.mark.django_db
def test_tracking_one_referral_after_triage(login, referrer, practice_referral, clinician):
    item = triage_services.queue_item_claim(item=practice_referral.queue_item, actor=clinician)
    triage_services.triage_decision_record(item=item, actor=clinician, priority="routine", outcome="refer_on", clinical_note="n",
        referred_to="District nursing",
    )

    response = login(referrer).get(f"/api/v1/tracked-referrals/{practice_referral.public_id}/")

    assert response.status_code == 200
    assert response.data["stage"] == "triaged"
    assert response.data["next_step"].startswith("Referred on")
    assert response.data["triaged_at"] is not None


@pytest.mark.django_db
def test_a_referrer_of_another_practice_finds_nothing(login, other_referrer, practice_referral):
    client = login(other_referrer)

    assert client.get(f"/api/v1/tracked-referrals/{practice_referral.public_id}/").status_code == 404
    assert client.get("/api/v1/tracked-referrals/").data["count"] == 0

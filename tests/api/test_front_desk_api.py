"""The patient API's front desk rules: postcode search and the probable duplicate check."""

import pytest

from tests import factories


@pytest.mark.django_db
def test_patients_are_found_by_postcode_however_typed(login, call_handler):
    wanted = factories.patient(postcode="LS6 2AB")
    factories.patient(postcode="LS1 4AP")

    response = login(call_handler).get("/api/v1/patients/", {"postcode": "ls62ab"})

    assert response.status_code == 200
    assert [row["public_id"] for row in response.data] == [str(wanted.public_id)]


@pytest.mark.django_db
def test_a_bad_postcode_search_is_a_clear_400(login, call_handler):
    response = login(call_handler).get("/api/v1/patients/", {"postcode": "x" * 9})

    assert response.status_code == 400
    assert "postcode" in response.data


@pytest.mark.django_db
def test_a_probable_duplicate_needs_confirming_over_the_api_too(login, call_handler):
    factories.patient(given_name="Edith", family_name="Crawley", date_of_birth="1940-05-01", postcode="LS6 2AB")
    body = {"given_name": "Edith", "family_name": "Crawley", "date_of_birth": "1940-05-01", "postcode": "LS6 2AB"}
    client = login(call_handler)

    refused = client.post("/api/v1/patients/", body, format="json")
    confirmed = client.post("/api/v1/patients/", {**body, "confirmed_different": True}, format="json")

    assert refused.status_code == 400
    assert "same name, date of birth and postcode" in refused.data["confirmed_different"][0]
    assert confirmed.status_code == 201


@pytest.mark.django_db
def test_a_referral_over_the_api_names_the_referring_practice_by_ods_code(login, call_handler, referral_body, practice, referrer):
    response = login(call_handler).post(
        "/api/v1/referrals/", referral_body(referring_practice="B86001"), format="json", HTTP_IDEMPOTENCY_KEY="ods-1"
    )
    unknown = login(call_handler).post(
        "/api/v1/referrals/", referral_body(referring_practice="Z99999"), format="json", HTTP_IDEMPOTENCY_KEY="ods-2"
    )

    assert response.status_code == 201
    assert login(referrer).get("/api/v1/tracked-referrals/").data["count"] == 1
    assert unknown.status_code == 400 and "No GP practice with ODS code Z99999" in unknown.data["referring_practice"][0]

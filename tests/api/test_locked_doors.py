"""The API's door: anonymous callers are told to authenticate; nothing with patient data is cached."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

REFERRALS = "/api/v1/referrals/"


@pytest.mark.parametrize("url", [REFERRALS, "/api/v1/patients/", "/api/v1/toc/register/"])
def test_an_anonymous_api_call_is_asked_to_authenticate_with_a_token(api, url):
    response = api.get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["detail"] == "Authentication credentials were not provided."


def test_a_token_and_a_session_both_still_open_the_api(api, client, call_handler):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=call_handler).key}")
    assert api.get(REFERRALS).status_code == 200

    client.force_login(call_handler)
    assert client.get(REFERRALS).status_code == 200


def test_an_anonymous_page_visit_still_goes_to_the_login_page(client, referral):
    response = client.get(reverse("referrals:referral_detail", args=[referral.public_id]))

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_pages_with_patient_data_are_never_stored_by_the_browser(client, call_handler, referral):
    client.force_login(call_handler)
    for url in (
        reverse("referrals:referral_detail", args=[referral.public_id]),
        reverse("referrals:patient_detail", args=[referral.patient.public_id]),
        reverse("referrals:contact_log"),  # where a call handler lands
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store, private", url


def test_api_answers_to_a_token_caller_are_never_stored_either(api, call_handler, referral):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=call_handler).key}")

    response = api.get(f"{REFERRALS}{referral.public_id}/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


"""Hazard "wrong patient matched": a known NHS number given with another name or date of birth stops
the user on every path that finds or creates a patient by NHS number, showing both people."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from discharge.models import RegisterEntry
from referrals import services
from referrals.models import Patient
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def known(db):
    return factories.patient(nhs_number="9990000018", given_name="Edith", family_name="Crawley",
                             date_of_birth=date(1938, 5, 2))


def register_form(**overrides):
    return {
        "submission_key": "key-1", "nhs_number": "999 000 0018", "given_name": "Mary", "family_name": "Crawley",
        "date_of_birth": "2 5 1938", "admitted_on": (TODAY - timedelta(days=3)).strftime("%d %m %Y"),
        "consultant": "Dr Evans", "source": "ward", "referred_on": (TODAY - timedelta(days=2)).strftime("%d %m %Y"),
        **overrides,
    }


def register_body(**overrides):
    return {
        "nhs_number": "9990000018", "given_name": "Mary", "family_name": "Crawley", "date_of_birth": "1938-05-02",
        "admitted_on": (TODAY - timedelta(days=3)).isoformat(), "consultant": "Dr Evans", "source": "ward",
        "referred_on": (TODAY - timedelta(days=2)).isoformat(), **overrides,
    }


def test_the_register_service_stops_on_a_known_number_with_another_name(known, toc_nurse, ward):
    with pytest.raises(services.PatientIdentityMismatch) as error:
        services.patient_known_by_number(nhs_number="9990000018", given_name="Mary", family_name="Crawley",
                                         date_of_birth=date(1938, 5, 2), confirmed_same_person=False)
    assert error.value.known == known
    assert error.value.differences == ["name"]


def test_a_known_number_with_the_same_name_in_other_case_and_spacing_is_the_same_person(known):
    found = services.patient_known_by_number(nhs_number="999 000 0018", given_name=" edith ", family_name="CRAWLEY",
                                             date_of_birth=date(1938, 5, 2), confirmed_same_person=False)
    assert found == known


def test_toc_registration_page_shows_both_people_and_attaches_nobody_until_the_user_chooses(client, known, toc_nurse, ward):
    client.force_login(toc_nurse)
    url = reverse("discharge:entry_register")

    response = client.post(url, register_form(ward=ward.pk, date_of_birth="3 5 1938"))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="identity-mismatch"' in page
    assert "Edith Crawley" in page and "Mary Crawley" in page  # both, side by side
    assert "name and date of birth" in page
    assert 'name="confirmed_same_person"' in page and 'type="checkbox"' in page
    assert not RegisterEntry.objects.exists()
    assert Patient.objects.count() == 1

    response = client.post(url, register_form(ward=ward.pk, date_of_birth="3 5 1938", confirmed_same_person="on"))

    assert response.status_code == 302
    assert RegisterEntry.objects.get().patient == known


def test_toc_registration_api_answers_409_with_both_people(known, toc_nurse, ward):
    api = APIClient()
    api.force_authenticate(toc_nurse)

    response = api.post("/api/v1/toc/register/", {**register_body(), "ward": ward.code}, format="json",
                        HTTP_IDEMPOTENCY_KEY="identity-1")

    assert response.status_code == 409, response.data
    assert response.data["code"] == "identity_mismatch"
    assert response.data["recorded_patient"]["given_name"] == "Edith"
    assert response.data["given"]["given_name"] == "Mary"
    assert response.data["differences"] == ["name"]
    assert not RegisterEntry.objects.exists()

    response = api.post("/api/v1/toc/register/", {**register_body(), "ward": ward.code, "confirmed_same_person": True},
                        format="json", HTTP_IDEMPOTENCY_KEY="identity-2")
    assert response.status_code == 201, response.data
    assert RegisterEntry.objects.get().patient == known


def test_toc_registration_with_the_recorded_details_attaches_without_asking(known, toc_nurse, ward):
    from discharge import services as discharge_services

    entry, _ = discharge_services.entry_register(
        actor=toc_nurse, idempotency_key="same", ward=ward, admitted_on=TODAY, consultant="Dr Evans", source="ward",
        referred_on=TODAY, nhs_number="9990000018", given_name="Edith", family_name="Crawley",
        date_of_birth=date(1938, 5, 2),
    )
    assert entry.patient == known


def test_front_desk_page_shows_both_people_and_offers_the_recorded_record(client, known, call_handler):
    client.force_login(call_handler)

    response = client.post(reverse("referrals:patient_create"), {
        "nhs_number": "999 000 0018", "given_name": "Edith", "family_name": "Crawley", "date_of_birth": "2 5 1940",
    })

    page = response.content.decode()
    assert 'data-testid="identity-mismatch"' in page
    assert "date of birth" in page and "2 May 1938" in page and "1940-05-02" in page
    assert reverse("referrals:referral_create", args=[known.public_id]) in page
    assert Patient.objects.count() == 1


def test_patients_api_answers_409_with_both_people(known, call_handler):
    api = APIClient()
    api.force_authenticate(call_handler)

    response = api.post("/api/v1/patients/", {"nhs_number": "9990000018", "given_name": "Edna",
                                              "family_name": "Crawley", "date_of_birth": "1938-05-02"}, format="json")

    assert response.status_code == 409
    assert response.data["recorded_patient"]["public_id"] == str(known.public_id)
    assert response.data["given"]["given_name"] == "Edna"
    assert Patient.objects.count() == 1

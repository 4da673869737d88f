"""The patients API: a patient's phones, next of kin and alerts read and written like the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_handler(call_handler):
    client = APIClient()
    client.force_authenticate(call_handler)
    return client


def test_one_patient_comes_with_phones_next_of_kin_and_alerts_in_force(as_handler, call_handler):
    patient = factories.patient()
    factories.patient_phone(patient_=patient, actor=call_handler)
    factories.support_person(patient_=patient, actor=call_handler, name="Ann Smith")
    factories.safety_alert(patient_=patient, actor=call_handler, category="animals", detail="Two dogs")

    body = as_handler.get(f"/api/v1/patients/{patient.public_id}/").data

    assert body["phones"][0]["number"] == "+441134960000" and body["phones"][0]["call_first"]
    assert body["support_people"][0]["name"] == "Ann Smith"
    assert [alert["category"] for alert in body["safety_alerts"]] == ["animals"]


def test_ending_an_alert_twice_over_the_api_is_a_409_naming_who_ended_it(as_handler, call_handler):
    patient = factories.patient()
    alert = factories.safety_alert(patient_=patient, actor=call_handler)
    url = f"/api/v1/patients/{patient.public_id}/alerts/{alert.public_id}/end/"

    assert as_handler.post(url, {"reason": "Moved"}, format="json").status_code == 200
    again = as_handler.post(url, {"reason": "Moved"}, format="json")

    assert again.status_code == 409
    assert "already ended" in again.data["detail"]


def test_a_bad_review_date_over_the_api_is_a_400_on_its_field(as_handler):
    patient = factories.patient()
    response = as_handler.post(f"/api/v1/patients/{patient.public_id}/alerts/", {
        "category": "infection", "detail": "MRSA", "review_on": (timezone.localdate() + timedelta(days=400)).isoformat(),
    }, format="json")

    assert response.status_code == 400
    assert "review_on" in response.data

"""Text fields have limits: 100,001 characters are refused with a clear message on every surface
(the pages, the API, the services), and nothing is saved."""

import uuid

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from ccc.text import NOTE_MAX_LENGTH
from referrals import services
from referrals.models import CallBackRequest, Contact, Referral
from tests import factories
from triage import services as triage_services
from triage.models import TriageDecision

pytestmark = pytest.mark.django_db

PASTED = "x" * 100_001
PROJECT_APPS = {"ccc", "referrals", "triage", "irr", "discharge", "directory", "escalations", "reporting", "opel", "interop"}
# Written by the system, never typed by a person: the poller's error text.
# Written by the system, not typed: a clock's last error, an HL7 message as received and why it was held.
NOT_TYPED = {("escalations.Clock", "last_error"), ("discharge.FeedMessage", "raw"), ("discharge.FeedMessage", "reason")}
NO_RISK = {"risk_to_self": "none", "risk_to_others": "none", "risk_from_others": "none"}


def typed_text_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField) and field.editable and (model._meta.label, field.name) not in NOT_TYPED:
                yield model._meta.label, field


def test_every_text_field_a_person_types_into_has_a_limit_that_full_clean_checks():
    fields = list(typed_text_fields())
    unlimited = [
        f"{label}.{field.name}" for label, field in fields
        if not field.max_length or field.max_length > NOTE_MAX_LENGTH
        or not any(isinstance(v, MaxLengthValidator) and v.limit_value == field.max_length for v in field.validators)
    ]
    assert len(fields) > 30
    assert unlimited == []


def test_the_service_refuses_a_pasted_file_with_a_clear_message(call_handler):
    with pytest.raises(ValidationError) as refused:
        factories.contact(actor=call_handler, reason=PASTED)

    assert refused.value.message_dict["reason"] == ["Enter 10000 characters or fewer: this has 100001"]
    assert not Contact.objects.exists()


# --- The pages ---------------------------------------------------------------------------------


def test_the_contact_form_refuses_100001_characters_and_keeps_the_rest(client, call_handler):
    client.force_login(call_handler)

    response = client.post(reverse("referrals:contact_log"), {
        "submission_key": "k", "caller_type": "patient", "channel": "phone", "caller_name": "Iris Bell",
        "caller_phone": "", "started_at": "1 1 2026 10:00", "duration_minutes": "1", "reason": PASTED,
        "outcome": "advice_given", "signposted_to": "",
    })

    assert response.status_code == 200
    assert "Ensure this value has at most 10000 characters (it has 100001)." in response.content.decode()
    assert 'value="Iris Bell"' in response.content.decode()
    assert not Contact.objects.exists()


def test_the_triage_form_refuses_a_100001_character_note(client, referral, clinician):
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
    client.force_login(clinician)

    response = client.post(reverse("triage:item_triage", args=[referral.queue_item.public_id]),
                           {"priority": "urgent", "outcome": "accept", "clinical_note": PASTED, **NO_RISK})

    assert response.status_code == 200
    assert "at most 10000 characters (it has 100001)" in response.content.decode()
    assert not TriageDecision.objects.exists()


def test_the_call_back_page_refuses_a_100001_character_note(client, call_handler):
    request = factories.call_back(actor=call_handler, team_=factories.team())
    client.force_login(call_handler)

    response = client.post(reverse("referrals:call_back_detail", args=[request.public_id]),
                           {"status": "called_back", "note": PASTED})

    assert "at most 10000 characters (it has 100001)" in response.content.decode()
    request.refresh_from_db()
    assert (request.status, request.outcome_note) == ("open", "")


# --- The API -----------------------------------------------------------------------------------


def test_the_referral_api_refuses_a_100001_character_reason(login, call_handler, referral_body):
    response = login(call_handler).post("/api/v1/referrals/", referral_body(reason=PASTED), format="json",
                                        HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)

    assert response.status_code == 400
    assert response.data["reason"] == ["Enter 10000 characters or fewer: this has 100001"]
    assert not Referral.objects.exists()


def test_the_triage_api_refuses_a_100001_character_note(login, referral, clinician):
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)

    response = login(clinician).post(f"/api/v1/queue-items/{referral.queue_item.public_id}/triage/", {
        "priority": "urgent", "outcome": "accept", "clinical_note": PASTED, **NO_RISK,
        "safeguarding_concern": False, "lone_working_risk": False,
    }, format="json")

    assert response.status_code == 400
    assert "10000 characters" in str(response.data["clinical_note"])
    assert not TriageDecision.objects.exists()


def test_the_call_back_api_refuses_a_100001_character_reason(login, call_handler):
    response = login(call_handler).post("/api/v1/call-backs/", {
        "team": factories.team().pk, "caller_name": "Iris Bell", "caller_phone": "0113 496 0001", "reason": PASTED,
    }, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 400
    assert "no more than 10000 characters" in str(response.data["reason"])
    assert not CallBackRequest.objects.exists()


def test_a_note_of_exactly_the_limit_is_kept(call_handler):
    contact, _ = services.contact_log(actor=call_handler, idempotency_key="k", caller_type="patient",
                                      caller_name="Iris Bell", reason="y" * NOTE_MAX_LENGTH, outcome="advice_given")

    assert len(Contact.objects.get(pk=contact.pk).reason) == NOTE_MAX_LENGTH

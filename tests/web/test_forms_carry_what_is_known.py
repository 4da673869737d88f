"""Issue 18: the triage form shows only the chosen outcome's fields (without JavaScript too), and the
referral form takes what the contact and the patient search already know."""

import pytest
from django.urls import reverse

from tests import factories
from triage import services
from triage.models import TriageDecision

NO_RISK = {"risk_to_self": "none", "risk_to_others": "none", "risk_from_others": "none"}


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client


@pytest.fixture
def handler_client(client, call_handler):
    client.force_login(call_handler)
    return client


@pytest.fixture
def claimed(referral, clinician):
    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    return referral.queue_item


def test_each_outcome_s_fields_sit_under_its_radio_hidden_until_it_is_chosen(clinician_client, claimed):
    body = clinician_client.get(reverse("triage:item_triage", args=[claimed.public_id])).content.decode()

    # Each radio is followed by its own block (shown by CSS when it is ticked), holding only its fields;
    # no aria-expanded on a radio, which ARIA does not allow (NHS.UK frontend's conditional reveal adds it).
    transfer_block = body.split('id="conditional-id_outcome_1"')[1].split('id="conditional-id_outcome_2"')[0]
    assert 'name="transfer_to"' in transfer_block and 'name="referred_to"' not in transfer_block
    assert "ccc-outcome-fields" in body.split('id="conditional-id_outcome_1"')[0][-200:]
    assert "data-aria-controls" not in body
    assert "---------" not in body
    assert "Choose a duty queue" in body and "(for a transfer only)" not in body


def test_without_javascript_continue_brings_back_only_the_chosen_outcome_keeping_the_note(clinician_client, claimed):
    url = reverse("triage:item_triage", args=[claimed.public_id])
    response = clinician_client.post(url, {
        "step": "choose", "outcome": "refer_on", "priority": "routine", "clinical_note": "Falls twice this month", **NO_RISK,
    })

    assert response.status_code == 200 and not response.context["form"].errors  # nothing checked yet
    assert not TriageDecision.objects.exists()
    body = response.content.decode()
    assert "Falls twice this month" in body
    before_refer_on = body.split('id="conditional-id_outcome_2"')[0][-200:]
    assert "ccc-outcome-fields--chosen" in before_refer_on
    assert "ccc-outcome-fields--chosen" not in body.split('id="conditional-id_outcome_1"')[0][-200:]

    recorded = clinician_client.post(url, {
        "outcome": "refer_on", "priority": "routine", "clinical_note": "Falls twice this month",
        "referred_to": "Falls clinic", **NO_RISK,
    })
    assert recorded.status_code == 302
    assert TriageDecision.objects.get().referred_to == "Falls clinic"


def _referral_form_from(handler_client, call_handler, caller_organisation: str):
    contact = factories.contact(
        actor=call_handler, caller_type="gp", caller_name="Dr Okafor", caller_organisation=caller_organisation,
        outcome="referral_pending",
    )
    url = f"{reverse('referrals:referral_create', args=[factories.patient().public_id])}?contact={contact.public_id}"
    return handler_client.get(url).context["form"]


@pytest.mark.parametrize("named", ["Ash Tree Surgery", "ash tree surgery", "B86001"])
def test_the_practice_the_caller_named_is_chosen_so_it_can_track_the_referral(handler_client, call_handler, practice, named):
    assert _referral_form_from(handler_client, call_handler, named).initial["referring_practice"] == practice


def test_a_practice_nobody_recorded_is_not_guessed(handler_client, call_handler, practice):
    assert _referral_form_from(handler_client, call_handler, "Ash Tree").initial["referring_practice"] is None


def test_the_name_and_date_of_birth_searched_for_fill_the_new_patient_s_form(handler_client):
    found = handler_client.get(reverse("referrals:patient_find"), {"name": "Mary Ann Jones", "date_of_birth": "15 3 1984"})

    query = found.context["new_patient_query"]
    assert query == "given_name=Mary+Ann&family_name=Jones&date_of_birth=1984-03-15"
    assert f"{reverse('referrals:patient_create')}?{query}" in found.content.decode().replace("&amp;", "&")
    form = handler_client.get(f"{reverse('referrals:patient_create')}?{query}").context["form"]
    assert (form.initial["given_name"], form.initial["family_name"]) == ("Mary Ann", "Jones")
    assert form.initial["date_of_birth"].isoformat() == "1984-03-15"


def test_a_broken_date_in_the_new_patient_link_is_left_out_not_an_error(handler_client):
    response = handler_client.get(reverse("referrals:patient_create"), {"family_name": "Jones", "date_of_birth": "1984-13-45"})

    assert response.status_code == 200
    assert response.context["form"].initial == {"family_name": "Jones"}

"""Issue 13: the clinical roles may open the record of a patient they have a legitimate relationship
with (a referral in their queue, an episode in their team, a stay on the register they work), and
no one else's; the front desk and oversight roles open anyone's."""

import pytest
from django.urls import reverse

from ccc.models import User
from ccc.patient_access import scope_patients
from ccc.permissions import Action, can
from referrals.models import Patient
from tests import factories

pytestmark = pytest.mark.django_db


def _page(client, person, patient) -> int:
    client.force_login(person)
    return client.get(reverse("referrals:patient_detail", args=[patient.public_id])).status_code


def _api(login, person, patient) -> int:
    return login(person).get(reverse("api-patient-detail", args=[patient.public_id])).status_code


@pytest.fixture
def stranger(db) -> Patient:
    """A patient nobody's queue, team or register holds."""
    return factories.patient(nhs_number=factories.TEST_NHS_NUMBERS[4])


@pytest.mark.parametrize("door", [_page, _api], ids=["page", "api"])
def test_a_duty_clinician_opens_a_patient_in_their_queue_and_not_another(client, login, referral, clinician,
                                                                         mental_clinician, stranger, door):
    reach = client if door is _page else login
    assert door(reach, clinician, referral.patient) == 200
    assert door(reach, mental_clinician, referral.patient) == 403
    assert door(reach, clinician, stranger) == 403


def test_a_team_lead_opens_a_patient_in_their_queue_and_not_another(client, referral, team_lead, stranger):
    assert _page(client, team_lead, referral.patient) == 200
    assert _page(client, team_lead, stranger) == 403


@pytest.mark.parametrize("door", [_page, _api], ids=["page", "api"])
def test_the_irr_team_opens_a_patient_with_an_episode_in_their_team(client, login, referral, irr_clinician,
                                                                    irr_team, stranger, door):
    episode = factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician), lead=irr_clinician)
    # On the team but working no duty queue: the episode alone is the relationship.
    colleague = factories.user(User.Role.DUTY_CLINICIAN, team=irr_team)
    elsewhere = factories.user(User.Role.DUTY_CLINICIAN, team=factories.team(name="IRR mental health"))
    reach = client if door is _page else login

    assert door(reach, colleague, episode.patient) == 200
    assert door(reach, elsewhere, episode.patient) == 403
    assert door(reach, colleague, stranger) == 403


@pytest.mark.parametrize("door", [_page, _api], ids=["page", "api"])
def test_the_transfer_of_care_team_opens_a_patient_on_the_register_and_not_another(client, login, entry, toc_nurse,
                                                                                   referral, door):
    reach = client if door is _page else login
    assert door(reach, toc_nurse, entry.patient) == 200
    assert door(reach, toc_nurse, referral.patient) == 403


@pytest.mark.parametrize("role", [User.Role.CALL_HANDLER, User.Role.MANAGER, User.Role.ADMINISTRATOR])
def test_the_front_desk_and_oversight_open_any_patient(client, stranger, role):
    assert _page(client, factories.user(role), stranger) == 200


@pytest.mark.parametrize("role", [User.Role.REFERRER, User.Role.DIRECTORY_EDITOR])
def test_roles_without_patient_records_are_refused(client, referral, role):
    assert _page(client, factories.user(role), referral.patient) == 403


def test_a_clinicians_patient_search_finds_only_their_patients(login, falls, call_handler, clinician, mental_clinician):
    patient = factories.patient(nhs_number=factories.TEST_NHS_NUMBERS[3])
    factories.referral(need=falls, actor=call_handler, patient_=patient)
    url = reverse("api-patient-list") + f"?nhs_number={patient.nhs_number}"

    assert [row["nhs_number"] for row in login(clinician).get(url).data] == [patient.nhs_number]
    assert login(mental_clinician).get(url).data == []


def test_the_patient_list_scope_agrees_with_the_object_rule(referral, entry, irr_clinician, clinician, mental_clinician,
                                                            toc_nurse, call_handler, manager, stranger):
    factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician), lead=irr_clinician)
    for person in (clinician, mental_clinician, irr_clinician, toc_nurse, call_handler, manager):
        visible = set(scope_patients(person, Patient.objects.all()))
        assert visible == {p for p in Patient.objects.all() if can(person, Action.PATIENT_VIEW, p)}, person


def test_a_clinician_opening_their_patient_sees_the_page_in_a_fixed_number_of_queries(
    client, referral, clinician, falls, call_handler, django_assert_num_queries
):
    client.force_login(clinician)
    url = reverse("referrals:patient_detail", args=[referral.patient.public_id])
    client.get(url)

    # session, user, the clinician's queues, the patient, the relationship (one EXISTS: a referral in
    # their queue), the frequent-contact rule, recent contact count, open referrals, open IRR
    # episodes, phones, next of kin and carers, safety alerts, unread notifications, and the access
    # log's insert
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200
    for _ in range(3):
        factories.referral(need=falls, actor=call_handler, patient_=referral.patient)
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200


def test_a_patient_page_opened_through_the_register_shows_no_triage_note(client, toc_nurse, ward, referral, clinician):
    """Opening the patient widens no door: the TOC member sees the patient, not a sensitive note on their referral."""
    factories.triaged(referral_=referral, clinician=clinician, note_is_sensitive=True, clinical_note="Disclosed abuse")
    factories.register_entry(actor=toc_nurse, ward_=ward, patient_=referral.patient)
    client.force_login(toc_nurse)

    response = client.get(reverse("referrals:patient_detail", args=[referral.patient.public_id]))

    assert response.status_code == 200
    assert "Disclosed abuse" not in response.content.decode()


def test_the_triage_summary_shows_outcomes_not_notes(client, falls, call_handler, clinician, mental_clinician, crisis):
    """Another queue's earlier referral shows on the summary by its outcome; its sensitive note stays on its own page."""
    patient = factories.patient()
    earlier = factories.referral(need=crisis, actor=call_handler, patient_=patient)
    factories.triaged(referral_=earlier, clinician=mental_clinician, outcome="signpost", signposted_to="Crisis cafe",
                      note_is_sensitive=True, clinical_note="Disclosed abuse")
    current = factories.referral(need=falls, actor=call_handler, patient_=patient)
    factories.claimed(item=current.queue_item, actor=clinician)
    client.force_login(clinician)

    body = client.get(reverse("triage:item_triage", args=[current.queue_item.public_id])).content.decode()

    assert "Signpost to a service" in body
    assert "Disclosed abuse" not in body
    assert client.get(reverse("referrals:referral_detail", args=[earlier.public_id])).status_code == 404

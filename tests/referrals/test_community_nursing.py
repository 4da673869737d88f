"""Community nursing single point of access: allocation to the locality team of the patient's practice."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from referrals.models import CommunityNursingSettings, Patient
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def localities(db):
    trust = factories.organisation(name="Northfield Acute and Community NHS Trust")
    return {name: factories.team(name=f"Community nursing {name}", organisation=trust) for name in ("North", "Central")}


@pytest.fixture
def default_team(localities):
    CommunityNursingSettings.objects.create(default_team=localities["Central"])
    return localities["Central"]


@pytest.fixture
def community_nursing(physical_queue):
    return factories.need(queue=physical_queue, code="community-nursing", name="Community nursing",
                          allocate_to_locality_team=True)


def refer(need, practice=None):
    return factories.referral(need=need, actor=factories.user(), patient_=factories.patient(gp_practice=practice))


def test_a_community_nursing_referral_goes_to_the_locality_team_of_the_patients_practice(
    localities, default_team, community_nursing
):
    practice = factories.gp_practice(name="Upper Northfield Practice")
    factories.practice_locality(practice, localities["North"])

    referral = refer(community_nursing, practice)

    assert referral.allocated_team == localities["North"]
    assert referral.allocation_warning == ""


def test_an_unmapped_practice_goes_to_the_default_team_with_a_warning(default_team, community_nursing):
    practice = factories.gp_practice(name="Canal Side Practice")

    referral = refer(community_nursing, practice)

    assert referral.allocated_team == default_team
    assert "Canal Side Practice has no locality team" in referral.allocation_warning
    assert default_team.name in referral.allocation_warning


def test_a_patient_with_no_practice_goes_to_the_default_team_with_a_warning(default_team, community_nursing):
    referral = refer(community_nursing)

    assert referral.allocated_team == default_team
    assert "no registered GP practice" in referral.allocation_warning


def test_with_no_default_team_set_the_referral_is_refused_with_a_reason(community_nursing):
    with pytest.raises(ValidationError, match="no default community nursing team"):
        refer(community_nursing)


def test_other_needs_are_not_allocated_to_a_locality(default_team, falls):
    referral = refer(falls, factories.gp_practice())

    assert referral.allocated_team is None
    assert referral.allocation_warning == ""


def test_the_referral_and_queue_pages_show_the_locality_team_and_the_warning(
    client, default_team, community_nursing, clinician
):
    referral = refer(community_nursing, factories.gp_practice(name="Canal Side Practice"))
    client.force_login(clinician)

    page = client.get(reverse("referrals:referral_detail", args=[referral.public_id])).content.decode()
    queue_page = client.get(reverse("triage:queue_detail", args=[referral.queue_item.queue.code])).content.decode()

    assert f"Community nursing locality team: <strong>{default_team}</strong>" in page
    assert "Canal Side Practice has no locality team" in page
    assert f"Locality team: {default_team} (default: practice not mapped)" in queue_page


def test_only_a_gp_practice_can_be_a_patients_practice(db):
    patient = factories.patient()
    patient.gp_practice = factories.organisation()  # an acute trust

    with pytest.raises(ValidationError, match="Choose a GP practice"):
        patient.full_clean()


def test_the_migration_links_patients_whose_practice_text_names_a_practice_and_keeps_the_rest(db):
    riverside = factories.gp_practice(name="Riverside Surgery", ods_code="Y90002")
    by_name = factories.patient(gp_practice_name=" riverside surgery ")
    by_code = factories.patient(gp_practice_name="y90002")
    unknown = factories.patient(gp_practice_name="Dr Patel's on the High Street")
    migration = importlib.import_module("referrals.migrations.0004_link_patients_to_gp_practices")

    migration.link_practices(apps, None)

    linked = {p.pk: (p.gp_practice, p.gp_practice_name) for p in Patient.objects.all()}
    assert linked[by_name.pk] == (riverside, "")
    assert linked[by_code.pk] == (riverside, "")
    assert linked[unknown.pk] == (None, "Dr Patel's on the High Street")


def test_the_call_handler_is_warned_when_the_referral_goes_to_the_default_team(client, default_team, community_nursing):
    handler = factories.user()
    patient = factories.patient()
    client.force_login(handler)

    response = client.post(
        reverse("referrals:referral_create", args=[patient.public_id]),
        {"submission_key": "k", "referrer_type": "gp", "referrer_name": "Dr Jones", "need": community_nursing.pk,
         "reason": "Leg ulcer dressings"},
        follow=True,
    )

    messages = [str(message) for message in response.context["messages"]]
    assert any("no registered GP practice" in message for message in messages)

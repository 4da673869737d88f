"""The referrer follows their referral past triage: IRR episode opened, first visit made, episode
closed with its outcome, admitted to and discharged from hospital; page and API alike, each step
told to them once in their notifications, with nothing clinical and no patient details."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ccc.models import User
from discharge import services as discharge_services
from escalations.models import Notification
from irr import services as irr_services
from tests import factories


@pytest.fixture
def episode(practice_referral, irr_clinician):
    decision = factories.triaged(referral_=practice_referral, clinician=irr_clinician)
    return factories.episode(decision=decision, lead=irr_clinician)


def visit_made(episode, actor, when):
    visit = factories.visit(episode_=episode, actor=actor, staff=[factories.member(episode_=episode)], scheduled_for=when)
    return irr_services.visit_record(visit=visit, outcome="Seen at home; walking with a frame", actor=actor)


def api_journey(login, referrer, referral) -> list[str]:
    data = login(referrer).get(f"/api/v1/tracked-referrals/{referral.public_id}/").json()
    return [step["label"] for step in data["journey"]]


def test_the_whole_journey_shows_in_order_on_the_page_and_the_api(
    client, login, referrer, practice_referral, episode, irr_clinician, toc_nurse, ward
):
    visit_made(episode, irr_clinician, timezone.now())
    visit_made(episode, irr_clinician, timezone.now())  # a second visit is not a step
    irr_services.episode_close(episode=episode, outcome="admitted", actor=irr_clinician)
    today = timezone.localdate()
    stay = factories.register_entry(actor=toc_nurse, ward_=ward, patient_=practice_referral.patient,
                                    admitted_on=today, referred_on=today, fit_on=today)
    discharge_services.entry_discharge(entry=stay, actor=toc_nurse, discharged_on=timezone.localdate(),
                                       destination="Home", pathway_used=0, readmission_risk="low")

    expected = [
        "Rapid response episode opened by IRR physical health",
        "First rapid response visit made",
        "Rapid response episode closed: admitted to hospital",
        f"Admitted to hospital ({ward})",
        "Discharged from hospital",
    ]
    assert api_journey(login, referrer, practice_referral) == expected
    client.force_login(referrer)
    page = client.get(reverse("referrals:tracking_detail", args=[practice_referral.public_id])).content.decode()
    assert all(label in page for label in expected)
    assert "walking with a frame" not in page  # the visit's outcome is clinical: not the referrer's


def test_each_step_tells_the_referrer_once_with_no_patient_details(
    referrer, practice_referral, episode, irr_clinician
):
    visit_made(episode, irr_clinician, timezone.now())
    visit_made(episode, irr_clinician, timezone.now() + timedelta(hours=1))
    irr_services.episode_close(episode=episode, outcome="stayed_at_home", actor=irr_clinician)

    told = list(Notification.objects.filter(recipient=referrer).order_by("created_at", "pk"))

    assert [n.message for n in told] == [
        f"Your referral {practice_referral.reference}: Rapid response episode opened by IRR physical health",
        f"Your referral {practice_referral.reference}: First rapid response visit made",
        f"Your referral {practice_referral.reference}: Rapid response episode closed: stayed at home",
    ]
    assert all(n.url == reverse("referrals:tracking_detail", args=[practice_referral.public_id]) for n in told)
    patient = practice_referral.patient
    assert not any(patient.family_name in n.message or patient.given_name in n.message for n in told)


def test_another_practice_is_not_told_and_cannot_see(
    login, other_referrer, practice_referral, episode
):
    assert not Notification.objects.filter(recipient=other_referrer).exists()
    response = login(other_referrer).get(f"/api/v1/tracked-referrals/{practice_referral.public_id}/")
    assert response.status_code == 404


def test_a_referrer_reads_their_notifications(client, referrer, practice_referral, episode):
    client.force_login(referrer)

    page = client.get(reverse("escalations:notification_list"))

    assert page.status_code == 200
    assert "Rapid response episode opened" in page.content.decode()


def test_a_hospital_stay_before_the_referral_is_not_part_of_its_journey(
    login, referrer, practice_referral, toc_nurse, ward
):
    earlier = factories.register_entry(actor=toc_nurse, ward_=ward, patient_=practice_referral.patient,
                                       admitted_on=timezone.localdate() - timedelta(days=40),
                                       referred_on=timezone.localdate() - timedelta(days=40),
                                       fit_on=timezone.localdate() - timedelta(days=35))
    discharge_services.entry_discharge(entry=earlier, actor=toc_nurse,
                                       discharged_on=timezone.localdate() - timedelta(days=30),
                                       destination="Home", pathway_used=0, readmission_risk="low")

    assert api_journey(login, referrer, practice_referral) == []


def test_the_tracking_list_keeps_a_fixed_number_of_queries_with_journeys(
    login, referrer, practice, falls, call_handler, irr_clinician, django_assert_max_num_queries
):
    for _ in range(4):
        referral = factories.referral(need=falls, actor=call_handler, referring_practice=practice)
        factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician), lead=irr_clinician)
    api = login(referrer)

    with django_assert_max_num_queries(5):
        data = api.get("/api/v1/tracked-referrals/").json()

    assert [len(row["journey"]) for row in data["results"]] == [1, 1, 1, 1]


def test_a_referral_with_no_referrer_tells_nobody(falls, call_handler, irr_clinician):
    referral = factories.referral(need=falls, actor=call_handler)  # a patient's own call: no practice named
    factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician), lead=irr_clinician)

    assert not Notification.objects.filter(recipient__role=User.Role.REFERRER).exists()
    assert not Notification.objects.filter(topic__startswith="journey-").exists()

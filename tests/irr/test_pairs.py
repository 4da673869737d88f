"""The pairs rule: any high risk, the lone-working tick or a risk-to-staff alert makes every visit need two."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from irr import pairs, services
from irr.models import Visit
from tests import factories


def schedule(episode, staff):
    return services.visit_schedule(
        episode=episode, staff=staff, actor=episode.lead_professional, kind=Visit.Kind.PLANNED,
        scheduled_for=timezone.now() + timedelta(hours=1),
    )


@pytest.mark.parametrize("risk", [
    {"risk_from_others": "high"}, {"risk_to_others": "high"}, {"risk_to_self": "high"}, {"safeguarding_concern": True},
])
def test_a_high_risk_assessment_needs_two_even_without_the_lone_working_tick(risk, referral, irr_clinician):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician, lone_working_risk=False, **risk)
    episode = factories.episode(decision=decision, lead=irr_clinician)
    nurse = factories.member(episode_=episode, discipline="nurse")

    with pytest.raises(ValidationError, match="needs two staff .*: high risk in the triage risk assessment"):
        schedule(episode, [nurse])
    assert not Visit.objects.exists()

    visit = schedule(episode, [nurse, factories.member(episode_=episode, discipline="support_worker")])
    assert visit.staff.count() == 2


def test_a_moderate_risk_without_the_tick_lets_one_person_go(referral, irr_clinician):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician, risk_from_others="medium")
    episode = factories.episode(decision=decision, lead=irr_clinician)

    assert pairs.pairs_reasons(episode) == []
    assert schedule(episode, [factories.member(episode_=episode)]).staff.count() == 1


def test_a_risk_to_staff_alert_on_the_patient_needs_two(referral, irr_clinician, call_handler):
    episode = factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician), lead=irr_clinician)
    schedule(episode, [factories.member(episode_=episode)])  # no alert yet: one may go
    factories.safety_alert(patient_=episode.patient, actor=call_handler, category="risk_to_staff")

    with pytest.raises(ValidationError, match="risk-to-staff safety alert on the patient"):
        schedule(episode, [factories.member(episode_=episode)])
    assert Visit.objects.count() == 1


def test_an_alert_of_another_kind_or_ended_does_not_need_two(referral, irr_clinician, call_handler):
    from referrals import services as referral_services

    episode = factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician), lead=irr_clinician)
    factories.safety_alert(patient_=episode.patient, actor=call_handler, category="animals", detail="Two dogs")
    ended = factories.safety_alert(patient_=episode.patient, actor=call_handler, category="risk_to_staff")
    referral_services.safety_alert_end(alert=ended, actor=call_handler, reason="Son moved out")

    schedule(episode, [factories.member(episode_=episode)])
    assert Visit.objects.count() == 1


def test_the_episode_page_and_visit_form_say_why_visits_go_in_pairs(client, referral, irr_clinician):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician, risk_from_others="high")
    episode = factories.episode(decision=decision, lead=irr_clinician)
    client.force_login(irr_clinician)

    detail = client.get(reverse("irr:episode_detail", args=[episode.public_id])).content.decode()
    plan = client.get(reverse("irr:visit_plan", args=[episode.public_id])).content.decode()
    listing = client.get(reverse("irr:episode_list")).content.decode()

    assert "Visits in pairs (one may be a support worker): high risk in the triage risk assessment" in detail
    assert "high risk in the triage risk assessment" in plan
    assert "Visits in pairs" in listing


def test_the_visit_page_refuses_one_person_for_a_high_risk_episode(client, referral, irr_clinician):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician, risk_from_others="high")
    episode = factories.episode(decision=decision, lead=irr_clinician)
    nurse = factories.member(episode_=episode)
    client.force_login(irr_clinician)

    response = client.post(reverse("irr:visit_plan", args=[episode.public_id]), {
        "kind": "planned", "scheduled_for": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "staff": [nurse.pk], "submission_key": "k1",
    })

    assert response.status_code == 200
    assert "This visit needs two staff" in response.content.decode()
    assert not Visit.objects.exists()

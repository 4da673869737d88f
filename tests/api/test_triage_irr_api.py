"""Duty triage and IRR through the API (issue 5)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from irr.models import Episode
from tests import factories
from triage import services
from triage.models import SensitiveNoteView


def test_the_api_withholds_a_sensitive_note_from_a_manager(referral, clinician, manager, api, login):
    factories.triaged(referral_=referral, clinician=clinician, note_is_sensitive=True, clinical_note="Disclosed abuse")

    [decision] = login(manager).get(f"/api/v1/referrals/{referral.public_id}/").data["decisions"]
    assert decision["clinical_note"] is None
    [decision] = login(clinician).get(f"/api/v1/referrals/{referral.public_id}/").data["decisions"]
    assert decision["clinical_note"] == "Disclosed abuse"
    assert SensitiveNoteView.objects.get().channel == "api"


def test_reassign_with_a_stale_holder_is_a_conflict(login, referral, clinician, other_clinician, team_lead):
    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    body = {"to": other_clinician.username, "reason": "Cover", "expected_holder": None}

    response = login(team_lead).post(f"/api/v1/queue-items/{referral.queue_item.public_id}/reassign/", body, format="json")

    assert response.status_code == 409
    assert "changed while you looked" in response.data["detail"]


def test_a_paired_visit_with_one_person_is_refused_with_the_reason(login, referral, irr_clinician):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician, lone_working_risk=True)
    episode = factories.episode(decision=decision, lead=irr_clinician)
    nurse = factories.member(episode_=episode)
    body = {"kind": "planned", "scheduled_for": (timezone.now() + timedelta(hours=1)).isoformat(), "staff": [nurse.pk]}

    response = login(irr_clinician).post(f"/api/v1/irr-episodes/{episode.public_id}/visits/", body, format="json")

    assert response.status_code == 400
    assert "needs two staff" in response.data["staff"][0]


def test_a_decision_through_the_api_carries_its_risk_assessment_and_respond_by(login, referral, clinician, physical_queue):
    factories.response_target(queue=physical_queue, priority="very_urgent", minutes=240)
    client = login(clinician)
    client.post(f"/api/v1/queue-items/{referral.queue_item.public_id}/claim/")
    body = {"priority": "very_urgent", "outcome": "accept", "clinical_note": "Visit in pairs",
            "risk_to_self": "high", "risk_to_others": "none", "risk_from_others": "none",
            "safeguarding_concern": True, "lone_working_risk": True, "note_is_sensitive": True}

    response = client.post(f"/api/v1/queue-items/{referral.queue_item.public_id}/triage/", body, format="json")

    assert response.status_code == 201, response.data
    assert (response.data["risk_to_self"], response.data["lone_working_risk"]) == ("high", True)
    assert response.data["respond_by"] is not None
    assert response.data["clinical_note"] == "Visit in pairs"  # the author is clinical: shown, and logged
    assert SensitiveNoteView.objects.count() == 1


def _an_episode(falls, call_handler, irr_clinician):
    decision = factories.triaged(referral_=factories.referral(need=falls, actor=call_handler), clinician=irr_clinician)
    return factories.episode(decision=decision, lead=irr_clinician)


def test_a_clinician_of_another_queue_lists_no_episodes(login, falls, call_handler, irr_clinician, mental_clinician):
    _an_episode(falls, call_handler, irr_clinician)

    assert login(mental_clinician).get("/api/v1/irr-episodes/").data["count"] == 0


def test_managers_and_administrators_read_every_episode(login, falls, call_handler, irr_clinician, manager, administrator):
    episode = _an_episode(falls, call_handler, irr_clinician)

    for reader in (manager, administrator):
        client = login(reader)
        assert client.get("/api/v1/irr-episodes/").data["count"] == 1
        assert client.get(f"/api/v1/irr-episodes/{episode.public_id}/").status_code == 200


def test_an_episode_opened_over_the_api_starts_with_its_lead_and_first_member_as_on_the_page(
    login, referral, irr_clinician, irr_team
):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician)
    body = {"source_decision": str(decision.public_id), "lead_professional": irr_clinician.username,
            "planned_end": (timezone.localdate() + timedelta(weeks=2)).isoformat(), "goals": "Home safely",
            "lead_discipline": "nurse", "first_member_name": "Tom Barker",
            "first_member_discipline": "support_worker", "first_member_organisation": irr_team.organisation_id}

    response = login(irr_clinician).post("/api/v1/irr-episodes/", body, format="json")

    assert response.status_code == 201, response.data
    assert {(m["name"], m["discipline"]) for m in response.data["members"]} == {
        (str(irr_clinician), "nurse"), ("Tom Barker", "support_worker")
    }


@pytest.mark.parametrize(
    "change, field",
    [
        ({"lead_discipline": ""}, "lead_discipline"),
        ({"lead_professional": "{call_handler}"}, "lead_professional"),
        ({"lead_professional": "{clinician}"}, "lead_professional"),
        ({"first_member_name": "Tom Barker"}, "first_member_name"),
    ],
    ids=["no lead discipline", "lead not a clinician", "lead off the IRR team", "half a first member"],
)
def test_the_api_refuses_an_episode_the_page_would_refuse(
    login, referral, irr_clinician, clinician, call_handler, change, field
):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician)
    body = {"source_decision": str(decision.public_id), "lead_professional": irr_clinician.username,
            "planned_end": (timezone.localdate() + timedelta(weeks=2)).isoformat(), "goals": "Home safely",
            "lead_discipline": "nurse"}
    people = {"call_handler": call_handler.username, "clinician": clinician.username}  # clinician: no IRR team
    body.update({name: value.format(**people) for name, value in change.items()})

    response = login(irr_clinician).post("/api/v1/irr-episodes/", body, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert not Episode.objects.exists()

"""The same IRR work done on the pages and over the API leaves the same records, history and
timeline (issue 12): opening an episode, its members, visits and closing it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from irr.models import Episode, Visit
from tests import factories
from tests.parity import rows_snapshot
from triage.models import TriageDecision

PLANNED_END = timezone.localdate() + timedelta(weeks=3)


@pytest.fixture
def decisions(referral, falls, call_handler, irr_clinician):
    """Two like decisions to start an episode: one opened on the pages, one over the API."""
    second = factories.referral(need=falls, actor=call_handler)
    return [factories.triaged(referral_=r, clinician=irr_clinician, lone_working_risk=True) for r in (referral, second)]


@pytest.fixture
def page(client, irr_clinician):
    client.force_login(irr_clinician)
    return client


@pytest.fixture
def api(irr_clinician):
    client = APIClient()
    client.force_authenticate(user=irr_clinician)
    return client


def records(episode: Episode) -> list:
    episode = Episode.objects.get(pk=episode.pk)
    decision = TriageDecision.objects.get(pk=episode.source_decision_id)
    return rows_snapshot([
        episode,
        *episode.members.order_by("name"),
        *Visit.objects.filter(episode=episode).order_by("scheduled_for", "pk"),
        decision,
        *decision.queue_item.referral.timeline.order_by("occurred_at", "pk"),
    ])


def opened(decision, lead) -> Episode:
    return factories.episode(decision=decision, lead=lead, first_member_name="Tom Barker",
                             first_member_discipline="support_worker", first_member_organisation=lead.team.organisation)


def test_an_episode_opened_on_the_page_and_over_the_api_gets_the_same_team(page, api, decisions, irr_clinician, irr_team):
    on_page, over_api = decisions
    first_member = {"first_member_name": "Tom Barker", "first_member_discipline": "support_worker",
                    "first_member_organisation": irr_team.organisation_id}
    body = {"lead_discipline": "nurse", "goals": "Stay at home", "planned_end": PLANNED_END.isoformat(), **first_member}

    response = page.post(
        reverse("irr:episode_open", args=[on_page.public_id]), {**body, "lead_professional": irr_clinician.pk}
    )
    answer = api.post(
        "/api/v1/irr-episodes/",
        {**body, "source_decision": str(over_api.public_id), "lead_professional": irr_clinician.username},
        format="json",
    )

    assert (response.status_code, answer.status_code) == (302, 201), answer.data
    episode = Episode.objects.get(source_decision=on_page)
    assert set(episode.members.values_list("name", "discipline")) == {
        ("Tom Barker", "support_worker"), (str(irr_clinician), "nurse")
    }
    assert records(episode) == records(Episode.objects.get(source_decision=over_api))


def test_a_member_added_on_the_page_and_over_the_api_agree(page, api, decisions, irr_clinician, irr_team):
    on_page, over_api = (opened(decision, irr_clinician) for decision in decisions)
    body = {"name": "Sam Reid", "discipline": "therapist", "organisation": irr_team.organisation_id}

    response = page.post(reverse("irr:member_add", args=[on_page.public_id]), body)
    answer = api.post(f"/api/v1/irr-episodes/{over_api.public_id}/members/", body, format="json")

    assert (response.status_code, answer.status_code) == (302, 201)
    assert on_page.members.filter(name="Sam Reid").exists()
    assert records(on_page) == records(over_api)


def test_a_visit_planned_and_recorded_on_the_page_and_over_the_api_agree(page, api, decisions, irr_clinician):
    on_page, over_api = (opened(decision, irr_clinician) for decision in decisions)
    when = timezone.localtime(timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)

    response = page.post(reverse("irr:visit_plan", args=[on_page.public_id]), {
        "submission_key": "page-visit", "kind": "planned", "scheduled_for": when.strftime("%Y-%m-%dT%H:%M"),
        "staff": list(on_page.members.values_list("pk", flat=True)),
    })
    answer = api.post(f"/api/v1/irr-episodes/{over_api.public_id}/visits/", {
        "kind": "planned", "scheduled_for": when.isoformat(), "staff": list(over_api.members.values_list("pk", flat=True)),
    }, format="json")
    assert (response.status_code, answer.status_code) == (302, 201), answer.data
    assert records(on_page) == records(over_api)

    response = page.post(reverse("irr:visit_record", args=[on_page.visits.get().public_id]), {"outcome": "Seen at home"})
    answer = api.post(f"/api/v1/irr-visits/{over_api.visits.get().public_id}/record/", {"outcome": "Seen at home"},
                      format="json")

    assert (response.status_code, answer.status_code) == (302, 200)
    assert on_page.visits.get().status == Visit.Status.DONE
    assert TriageDecision.objects.get(pk=on_page.source_decision_id).first_response_by == irr_clinician
    assert records(on_page) == records(over_api)


def test_an_episode_closed_on_the_page_and_over_the_api_agree(page, api, decisions, irr_clinician):
    on_page, over_api = (opened(decision, irr_clinician) for decision in decisions)
    body = {"outcome": "other", "note": "Moved in with family"}

    response = page.post(reverse("irr:episode_close", args=[on_page.public_id]), body)
    answer = api.post(f"/api/v1/irr-episodes/{over_api.public_id}/close/", body, format="json")

    assert (response.status_code, answer.status_code) == (302, 200)
    assert Episode.objects.get(pk=on_page.pk).status == Episode.Status.CLOSED
    assert records(on_page) == records(over_api)

"""The duty triage and IRR endpoints (issue 5) refuse who they should and let in who they should."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from tests import factories
from triage import services as triage_services


@dataclass
class Endpoint:
    name: str
    method: str
    path: str  # formatted with the world below
    allowed: str  # a fixture name
    allowed_status: int
    body: dict[str, Any] = field(default_factory=dict)
    # Roles with the grant who still get 403 (an object rule), and roles who read but may not write.
    refused: tuple[str, ...] = ()


ENDPOINTS = [
    Endpoint("my items", "get", "/api/v1/queues/{queue}/items/?mine=1", "irr_clinician", 200),
    Endpoint("release", "post", "/api/v1/queue-items/{item}/release/", "irr_clinician", 200,
             body={"reason": "Going out on a visit"}, refused=("call_handler", "manager", "administrator")),
    Endpoint("reassign", "post", "/api/v1/queue-items/{item}/reassign/", "team_lead", 200,
             body={"to": "{other}", "reason": "Cover", "expected_holder": "{holder}"},
             refused=("irr_clinician", "call_handler", "manager", "administrator")),
    Endpoint("episode list", "get", "/api/v1/irr-episodes/", "irr_clinician", 200, refused=("call_handler",)),
    Endpoint("episode detail", "get", "/api/v1/irr-episodes/{episode}/", "irr_clinician", 200, refused=("call_handler",)),
    Endpoint("episode open", "post", "/api/v1/irr-episodes/", "irr_clinician", 201,
             body={"source_decision": "{fresh_decision}", "lead_professional": "{holder}", "planned_end": "{end}",
                   "goals": "Home safely", "lead_discipline": "nurse"},
             refused=("call_handler", "manager", "administrator")),
    Endpoint("member add", "post", "/api/v1/irr-episodes/{episode}/members/", "irr_clinician", 201,
             body={"name": "Sam Reid", "discipline": "therapist", "organisation": "{organisation}"},
             refused=("call_handler", "manager", "administrator")),
    Endpoint("visit plan", "post", "/api/v1/irr-episodes/{episode}/visits/", "irr_clinician", 201,
             body={"kind": "planned", "scheduled_for": "{soon}", "staff": ["{member}"]},
             refused=("call_handler", "manager", "administrator")),
    Endpoint("episode close", "post", "/api/v1/irr-episodes/{episode}/close/", "irr_clinician", 200,
             body={"outcome": "stayed_at_home"}, refused=("call_handler", "manager", "administrator")),
    Endpoint("visit record", "post", "/api/v1/irr-visits/{visit}/record/", "irr_clinician", 200,
             body={"outcome": "Seen at home"}, refused=("call_handler", "manager", "administrator")),
]
# Another queue's clinician, not on the team: the object is not there for them.
OUTSIDER_404 = {"release", "reassign", "episode detail", "member add", "visit plan", "episode close", "visit record"}
BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}


@pytest.fixture
def world(referral, falls, call_handler, irr_clinician, clinician, team_lead):
    """A claimed item; an episode from another referral's decision with a member and a visit; a fresh decision."""
    triage_services.queue_item_claim(item=referral.queue_item, actor=irr_clinician)
    decision = factories.triaged(
        referral_=factories.referral(need=falls, received_by=call_handler), clinician=irr_clinician
    )
    episode = factories.episode(decision=decision, lead=irr_clinician)
    member = factories.member(episode_=episode)
    from irr import services as irr_services

    visit = irr_services.visit_schedule(
        episode=episode, kind="planned", scheduled_for=timezone.now(), staff=[member], actor=irr_clinician
    )
    fresh = factories.triaged(
        referral_=factories.referral(need=falls, received_by=call_handler), clinician=irr_clinician
    )
    return {
        "queue": referral.queue_item.queue.code,
        "item": referral.queue_item.public_id,
        "holder": irr_clinician.username,
        "other": clinician.username,
        "episode": episode.public_id,
        "member": member.pk,
        "visit": visit.public_id,
        "fresh_decision": fresh.public_id,
        "organisation": episode.team.organisation_id,
        "end": (timezone.localdate() + timezone.timedelta(weeks=2)).isoformat(),
        "soon": timezone.now().isoformat(),
    }


def _fill(value, world):
    if isinstance(value, str):
        return value.format(**world)
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    return value


def call(client, endpoint: Endpoint, world: dict):
    body = {key: _fill(value, world) for key, value in endpoint.body.items()}
    if "staff" in body:
        body["staff"] = [int(pk) for pk in body["staff"]]
    if "organisation" in body:
        body["organisation"] = int(body["organisation"])
    return getattr(client, endpoint.method)(endpoint.path.format(**world), body or None, format="json")


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_anonymous_refused(api, world, endpoint):
    response = call(api, endpoint, world)

    assert response.status_code == 403
    assert response.data["detail"].code == "not_authenticated"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint, role",
    [(e, "toc_member") for e in ENDPOINTS] + [(e, r) for e in ENDPOINTS for r in e.refused],
    ids=lambda value: value.name if isinstance(value, Endpoint) else value,
)
def test_wrong_role_refused(request, login, world, endpoint, role):
    response = call(login(request.getfixturevalue(role)), endpoint, world)

    assert response.status_code == 403, response.data


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", [BY_NAME[name] for name in sorted(OUTSIDER_404)], ids=lambda e: e.name)
def test_outsider_clinician_not_found(login, world, mental_clinician, endpoint):
    response = call(login(mental_clinician), endpoint, world)

    assert response.status_code == 404


@pytest.mark.django_db
def test_outsider_clinician_lists_no_episodes(login, world, mental_clinician):
    assert login(mental_clinician).get("/api/v1/irr-episodes/").data["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_allowed_role_succeeds(request, login, world, endpoint):
    response = call(login(request.getfixturevalue(endpoint.allowed)), endpoint, world)

    assert response.status_code == endpoint.allowed_status, response.data


@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["manager", "administrator"])
def test_managers_and_administrators_read_episodes(request, login, world, reader):
    client = login(request.getfixturevalue(reader))

    assert client.get("/api/v1/irr-episodes/").data["count"] == 1
    assert client.get(f"/api/v1/irr-episodes/{world['episode']}/").status_code == 200

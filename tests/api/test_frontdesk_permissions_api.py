"""Follow-up call and transport endpoints refuse who they should, and let in who they should."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests import factories


@dataclass
class Endpoint:
    name: str
    method: str
    path: str  # formatted with call, booking and patient
    allowed: tuple[str, ...]  # fixture names
    allowed_status: int
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def in_an_hour() -> str:
    return (timezone.now() + timedelta(hours=1)).isoformat()


ENDPOINTS = [
    Endpoint("work list", "get", "/api/v1/follow-up-calls/", ("call_handler", "manager", "administrator"), 200),
    Endpoint("call detail", "get", "/api/v1/follow-up-calls/{call}/", ("call_handler", "manager", "administrator"), 200),
    Endpoint(
        "call schedule", "post", "/api/v1/follow-up-calls/", ("call_handler",), 201,
        body={"reason": "Asked for a call back"}, headers={"HTTP_IDEMPOTENCY_KEY": "perm-call"},
    ),
    Endpoint(
        "call outcome", "post", "/api/v1/follow-up-calls/{call}/outcome/", ("call_handler",), 200,
        body={"status": "answered_well"},
    ),
    Endpoint("transport list", "get", "/api/v1/transport-bookings/", ("call_handler", "manager", "administrator"), 200),
    Endpoint(
        "transport detail", "get", "/api/v1/transport-bookings/{booking}/", ("call_handler", "manager", "administrator"),
        200,
    ),
    Endpoint(
        "transport book", "post", "/api/v1/transport-bookings/", ("call_handler",), 201,
        body={"pickup_from": "Home", "destination": "Clinic", "mobility": "walking"},
        headers={"HTTP_IDEMPOTENCY_KEY": "perm-transport"},
    ),
    Endpoint(
        "transport transition", "post", "/api/v1/transport-bookings/{booking}/transition/", ("call_handler",), 200,
        body={"status": "booked"},
    ),
]
PEOPLE = ["call_handler", "clinician", "toc_member", "manager", "administrator"]


@pytest.fixture
def world(call_handler):
    patient = factories.patient()
    return {
        "patient": patient.public_id,
        "call": factories.follow_up_call(patient_=patient, actor=call_handler).public_id,
        "booking": factories.transport_booking(requested_by=call_handler, patient_=patient).public_id,
    }


def call(client, endpoint: Endpoint, world: dict):
    body = dict(endpoint.body)
    if endpoint.name in ("call schedule", "transport book"):
        body["patient"] = str(world["patient"])
        body["due_at" if endpoint.name == "call schedule" else "pickup_at"] = in_an_hour()
    method = getattr(client, endpoint.method)
    return method(endpoint.path.format(**world), body or None, format="json", **endpoint.headers)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_anonymous_refused(api, world, endpoint):
    response = call(api, endpoint, world)

    assert response.status_code == 403
    assert response.data["detail"].code == "not_authenticated"


@pytest.mark.django_db
@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_each_endpoint_answers_only_the_roles_it_is_for(request, login, world, endpoint, person):
    response = call(login(request.getfixturevalue(person)), endpoint, world)

    if person in endpoint.allowed:
        assert response.status_code == endpoint.allowed_status, response.data
    else:
        assert response.status_code == 403
        assert response.data["detail"].code == "permission_denied"

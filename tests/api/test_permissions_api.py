"""Every endpoint refuses who it should, and lets in who it should, through ccc.permissions."""

from dataclasses import dataclass, field
from typing import Any

import pytest

from referrals.models import Referral
from tests import factories
from triage import services as triage_services


@dataclass
class Endpoint:
    name: str
    method: str
    path: str  # formatted with patient, referral, item and queue
    allowed: str  # a fixture name
    allowed_status: int
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    claimed_first: bool = False  # the allowed user claims the item before calling


ENDPOINTS = [
    Endpoint("patient search", "get", "/api/v1/patients/?nhs_number=9990000018", "call_handler", 200),
    Endpoint(
        "patient create",
        "post",
        "/api/v1/patients/",
        "call_handler",
        201,
        body={"given_name": "Sam", "family_name": "Patel", "date_of_birth": "1950-01-01"},
    ),
    Endpoint("patient detail", "get", "/api/v1/patients/{patient}/", "call_handler", 200),
    Endpoint("referral list", "get", "/api/v1/referrals/", "call_handler", 200),
    Endpoint("referral detail", "get", "/api/v1/referrals/{referral}/", "clinician", 200),
    Endpoint(
        "referral create",
        "post",
        "/api/v1/referrals/",
        "call_handler",
        201,
        body={"need": "falls", "referrer_type": "gp", "referrer_name": "Dr Jones", "reason": "Fall"},
        headers={"HTTP_IDEMPOTENCY_KEY": "perm-test"},
    ),
    Endpoint("queue list", "get", "/api/v1/queues/", "clinician", 200),
    Endpoint("queue items", "get", "/api/v1/queues/{queue}/items/", "clinician", 200),
    Endpoint("claim next", "post", "/api/v1/queues/{queue}/claim-next/", "clinician", 200),
    Endpoint("claim", "post", "/api/v1/queue-items/{item}/claim/", "clinician", 200),
    Endpoint(
        "triage",
        "post",
        "/api/v1/queue-items/{item}/triage/",
        "clinician",
        201,
        body={
            "priority": "routine", "outcome": "signpost", "clinical_note": "Leaflet sent",
            "signposted_to": "Befriending service", "risk_to_self": "none", "risk_to_others": "none",
            "risk_from_others": "none", "safeguarding_concern": False, "lone_working_risk": False,
        },
        claimed_first=True,
    ),
]
# Object endpoints answer an outsider clinician (another queue's) as if the object did not exist.
OUTSIDER_404 = {"referral detail", "queue items", "claim next", "claim", "triage"}
# Roles whose grant lacks the endpoint's action, besides the TOC member who has no API work at all.
OTHER_WRONG_ROLES = {
    "patient search": ["clinician"],
    "patient create": ["clinician", "manager"],
    "patient detail": ["clinician"],
    "referral create": ["clinician", "manager"],
    "queue list": ["call_handler"],
    "queue items": ["call_handler"],
    "claim next": ["call_handler", "manager"],
    "claim": ["call_handler", "manager"],
    "triage": ["call_handler", "manager"],
}
BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}


@pytest.fixture
def world(referral):
    """One referral waiting in the physical health queue, its patient and its queue item."""
    return {
        "patient": referral.patient.public_id,
        "referral": referral.public_id,
        "item": referral.queue_item.public_id,
        "queue": referral.queue_item.queue.code,
    }


def call(client, endpoint: Endpoint, world: dict):
    body = dict(endpoint.body)
    if endpoint.name == "referral create":
        body["patient"] = str(world["patient"])
    method = getattr(client, endpoint.method)
    return method(endpoint.path.format(**world), body or None, format="json", **endpoint.headers)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_anonymous_refused(api, world, endpoint):
    response = call(api, endpoint, world)

    # Session authentication comes first and sends no WWW-Authenticate challenge, so DRF says 403.
    assert response.status_code == 403
    assert response.data["detail"].code == "not_authenticated"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "endpoint, role",
    [(e, "toc_member") for e in ENDPOINTS] + [(BY_NAME[n], r) for n, roles in OTHER_WRONG_ROLES.items() for r in roles],
    ids=lambda value: value.name if isinstance(value, Endpoint) else value,
)
def test_wrong_role_refused(request, login, world, endpoint, role):
    response = call(login(request.getfixturevalue(role)), endpoint, world)

    assert response.status_code == 403
    assert response.data["detail"].code == "permission_denied"


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", [BY_NAME[name] for name in sorted(OUTSIDER_404)], ids=lambda e: e.name)
def test_outsider_clinician_not_found(login, world, mental_clinician, endpoint):
    response = call(login(mental_clinician), endpoint, world)

    assert response.status_code == 404


@pytest.mark.django_db
def test_outsider_clinician_lists_only_their_own(login, world, mental_clinician, mental_queue):
    client = login(mental_clinician)

    assert client.get("/api/v1/referrals/").data["count"] == 0
    assert [q["code"] for q in client.get("/api/v1/queues/").data["results"]] == [mental_queue.code]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_allowed_role_succeeds(request, login, world, endpoint):
    user = request.getfixturevalue(endpoint.allowed)
    if endpoint.claimed_first:
        triage_services.queue_item_claim(item=Referral.objects.get().queue_item, actor=user)

    response = call(login(user), endpoint, world)

    assert response.status_code == endpoint.allowed_status, response.data


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_need_a_login(api, login, call_handler, path):
    assert api.get(path).status_code == 403

    response = login(call_handler).get(path)

    assert response.status_code == 200
    if path == "/api/schema/":
        assert b"/api/v1/referrals/" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_refuse_staff_with_no_role(login, path):
    assert login(factories.user(role="")).get(path).status_code == 403

"""Every Transfer of Care endpoint refuses who it should and lets in who it should."""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from discharge import services
from tests import factories


@dataclass
class Endpoint:
    name: str
    method: str
    path: str  # formatted with entry and delay
    allowed: set[str]  # fixture names
    allowed_status: int
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


READERS = {"toc_nurse", "manager", "administrator"}
ENDPOINTS = [
    Endpoint("register list", "get", "/api/v1/toc/register/", READERS, 200),
    Endpoint("register detail", "get", "/api/v1/toc/register/{entry}/", READERS, 200),
    Endpoint(
        "register create", "post", "/api/v1/toc/register/", {"toc_nurse"}, 201,
        body={
            "given_name": "Edith", "family_name": "Crawley", "date_of_birth": "1938-05-02", "ward": "ward-7",
            "admitted_on": "2025-10-01", "consultant": "Dr Evans", "source": "ward", "referred_on": "2025-10-02",
        },
        headers={"HTTP_IDEMPOTENCY_KEY": "perm-test"},
    ),
    Endpoint("pathway", "post", "/api/v1/toc/register/{entry}/pathway/", {"toc_nurse"}, 200, body={"pathway": 3}),
    Endpoint("reserve", "post", "/api/v1/toc/register/{entry}/reserve/", {"toc_nurse"}, 201, body={"service": "{service}"}),
    Endpoint(
        "delays", "post", "/api/v1/toc/register/{entry}/delays/", {"toc_nurse"}, 201,
        body={"reason_code_set": "ddc", "reason_code": "pathway-2", "attribution": "nhs", "starts_on": "{today}"},
    ),
    Endpoint("sign off", "post", "/api/v1/toc/delays/{delay}/sign-off/", {"toc_nurse"}, 201, body={"partner": "acute"}),
    Endpoint("delay end", "post", "/api/v1/toc/delays/{delay}/end/", {"toc_nurse"}, 200, body={"ends_on": "{today}"}),
    Endpoint(
        "update", "post", "/api/v1/toc/register/{entry}/update/", {"toc_nurse"}, 200,
        body={"owner": None, "next_action": "Ring the family", "next_action_due": None, "fit_on": "{fit}"},
    ),
    Endpoint("release", "post", "/api/v1/toc/register/{held}/release/", {"toc_nurse"}, 200),
    Endpoint(
        "assessment", "post", "/api/v1/toc/register/{entry}/assessment/", {"toc_nurse"}, 201,
        body={"assessor_name": "A. Nurse", "assessor_organisation": "{trust}", "assessed_on": "{today}", "summary": "Frame"},
    ),
    Endpoint(
        "assessment accept", "post", "/api/v1/toc/register/{held}/assessment/accept/", {"toc_nurse"}, 200,
        body={"service": "{service}"},
    ),
    Endpoint(
        "discharge", "post", "/api/v1/toc/register/{other}/discharge/", {"toc_nurse"}, 200,
        body={"discharged_on": "{today}", "destination": "Home", "pathway_used": 0, "readmission_risk": "low"},
    ),
    Endpoint("capacity", "get", "/api/v1/toc/capacity/", READERS, 200),
    Endpoint("figures", "get", "/api/v1/toc/figures/?month=2025-10", READERS, 200),
]
PEOPLE = ["call_handler", "clinician", "toc_nurse", "manager", "administrator"]


@pytest.fixture
def world(toc_nurse, ward, intermediate_care, acute_trust):
    entry = factories.register_entry(actor=toc_nurse, ward_=ward)
    other = factories.register_entry(actor=toc_nurse, ward_=ward)
    held = factories.register_entry(actor=toc_nurse, ward_=ward)
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=2)
    delay = services.delay_record(
        entry=other, actor=toc_nurse, reason=factories.delay_reason("C"), attribution="nhs", starts_on=other.fit_on
    )
    # A bed held and an assessment waiting, to give back and to accept.
    services.pathway_set(entry=held, actor=toc_nurse, pathway=2)
    services.booking_reserve(entry=held, service=intermediate_care, actor=toc_nurse)
    services.trusted_assessment_record(
        entry=held, actor=toc_nurse, assessor_name="A. Nurse", assessor_organisation=acute_trust,
        assessed_on=held.fit_on, summary="Frame",
    )
    return {"entry": entry.public_id, "other": other.public_id, "held": held.public_id, "delay": delay.public_id,
            "service": intermediate_care.pk, "trust": acute_trust.pk, "fit": entry.fit_on.isoformat(),
            "today": timezone.localdate().isoformat()}


def call(client, endpoint: Endpoint, world: dict):
    body = {key: (value.format(**world) if isinstance(value, str) else value) for key, value in endpoint.body.items()}
    if endpoint.name == "pathway":
        body["reason"] = "Nursing needs after all"
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

"""A bounded property-based fuzz of every GET in the live OpenAPI schema (/api/schema/), as a call
handler, a clinician and a manager: no answer is a server error, and every answer is inside the
published schema. Requests go through Django's test handler, inside the test's transaction, so the
rows made here are what the API reads. The full run is documented in docs/API.md."""

import os

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests import factories

# Per operation and role: 30 in CI; CCC_FUZZ_EXAMPLES=4000 is the full run (docs/API.md).
EXAMPLES = int(os.environ.get("CCC_FUZZ_EXAMPLES", "30"))
ROLES = ["call_handler", "clinician", "manager"]


def django_app(environ, start_response):
    """Django as WSGI through its test handler, which leaves the test's database connection open."""
    response = ClientHandler(enforce_csrf_checks=False)(environ)
    start_response(f"{response.status_code} {response.reason_phrase}", list(response.items()))
    return [response.content]


@pytest.fixture(params=ROLES)
def role_headers(request, db, clinician, irr_clinician, irr_team, entry, call_handler) -> dict[str, str]:
    """The chosen role's token, with a row behind most lists: a very urgent referral, an open episode, a register entry."""
    referral = factories.referral(need=request.getfixturevalue("falls"), actor=call_handler)
    decision = factories.triaged(referral_=referral, clinician=clinician, priority="very_urgent")
    factories.episode(decision=decision, lead=irr_clinician, team=irr_team)
    factories.referral(need=request.getfixturevalue("falls"), actor=call_handler)
    user = request.getfixturevalue(request.param)
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def fuzz(case, headers: dict[str, str]) -> None:
    case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])


def test_no_get_is_a_server_error_or_outside_its_schema(role_headers):
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", django_app, headers=role_headers)
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    assert len(operations) > 20  # the schema was read, with every list and record in it

    for operation in operations:
        given(case=operation.as_strategy())(fuzz)(headers=role_headers)

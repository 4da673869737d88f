"""Referrals as FHIR R4 ServiceRequests: valid by fhir.resources (R4B models), with our codes checked by hand."""

from datetime import UTC

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.servicerequest import ServiceRequest

from referrals.models import Referral
from reporting.fhir import NHS_NUMBER_SYSTEM, REQUEST_PRIORITY_CODES, REQUEST_STATUS_CODES
from tests import factories
from triage import services as triage_services
from triage.models import TriageDecision

FHIR_JSON = "application/fhir+json"


def url(referral: Referral | None = None) -> str:
    return f"/api/v1/fhir/ServiceRequest/{referral.public_id}/" if referral else "/api/v1/fhir/ServiceRequest/"


@pytest.fixture
def known_patient(db):
    return factories.patient(nhs_number="9990000018", given_name="Margaret", family_name="Holloway")


@pytest.fixture
def waiting(falls, call_handler, known_patient):
    return factories.referral(
        need=falls,
        actor=call_handler,
        patient_=known_patient,
        referrer_organisation="Ash Tree Surgery",
        needs_description="Visit today",
    )


def triage(referral: Referral, clinician, priority: str) -> None:
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
    triage_services.triage_decision_record(
        item=referral.queue_item, actor=clinician, priority=priority, outcome="accept", clinical_note="Seen"
    )


def test_a_waiting_referral_is_an_active_order_for_the_patient_by_nhs_number(login, manager, waiting):
    response = login(manager).get(url(waiting))

    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    body = response.json()
    resource = ServiceRequest.model_validate(body)  # raises on any shape error
    assert resource.id == str(waiting.public_id)
    assert body["status"] == "active" and body["intent"] == "order"
    assert "priority" not in body  # nobody has set one yet
    assert body["subject"]["identifier"] == {"system": NHS_NUMBER_SYSTEM, "value": "9990000018"}
    assert body["subject"]["display"] == "Margaret Holloway"
    assert body["requester"]["display"] == "Dr Jones, Ash Tree Surgery (GP)"
    assert body["performer"][0]["display"] == "Physical health duty queue"
    assert body["performer"][0]["identifier"]["value"] == "physical-health"
    assert body["reasonCode"] == [{"text": waiting.reason}]
    assert body["code"]["coding"][0]["code"] == "falls"
    assert body["identifier"][0]["value"] == waiting.reference
    assert body["authoredOn"] == waiting.received_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert body["meta"]["profile"] == ["https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"]
    assert body["status"] in REQUEST_STATUS_CODES


@pytest.mark.parametrize(
    ("priority", "fhir_priority"), [("routine", "routine"), ("urgent", "urgent"), ("emergency", "stat")]
)
def test_a_triaged_referral_is_completed_with_its_priority_mapped(
    login, manager, waiting, clinician, priority, fhir_priority
):
    triage(waiting, clinician, priority)

    body = login(manager).get(url(waiting)).json()

    ServiceRequest.model_validate(body)
    assert body["status"] == "completed"
    assert body["priority"] == fhir_priority
    assert body["priority"] in REQUEST_PRIORITY_CODES


@pytest.mark.parametrize("priority", TriageDecision.Priority.values)
def test_every_triage_priority_has_a_fhir_priority_and_the_search_that_meets_it_answers(
    login, manager, waiting, clinician, priority
):
    triage(waiting, clinician, priority)

    search = login(manager).get(url(), {"subject:identifier": f"{NHS_NUMBER_SYSTEM}|9990000018"})

    assert search.status_code == 200
    Bundle.model_validate(search.json())
    assert search.json()["entry"][0]["resource"]["priority"] in REQUEST_PRIORITY_CODES


def test_a_patient_without_an_nhs_number_is_named_only(login, manager, falls, call_handler):
    referral = factories.referral(need=falls, actor=call_handler)

    body = login(manager).get(url(referral)).json()

    ServiceRequest.model_validate(body)
    assert "identifier" not in body["subject"]


def test_the_search_bundle_is_a_valid_searchset_with_paging_and_nhs_number_search(
    login, manager, waiting, falls, call_handler
):
    for _ in range(3):
        factories.referral(need=falls, actor=call_handler)

    first = login(manager).get(url(), {"_count": 2})
    by_number = login(manager).get(url(), {"subject:identifier": f"{NHS_NUMBER_SYSTEM}|9990000018"})

    assert first["Content-Type"] == FHIR_JSON
    bundle = Bundle.model_validate(first.json())
    assert bundle.type == "searchset" and bundle.total == 4 and len(matches(bundle)) == 2
    next_link = next(link.url for link in bundle.link if link.relation == "next")
    second = Bundle.model_validate(login(manager).get(next_link).json())
    assert len(matches(second)) == 2 and not any(link.relation == "next" for link in second.link)
    assert {entry.resource.id for entry in matches(bundle)}.isdisjoint({entry.resource.id for entry in matches(second)})
    found = Bundle.model_validate(by_number.json())
    assert [entry.resource.id for entry in matches(found)] == [str(waiting.public_id)]
    assert matches(found)[0].fullUrl.endswith(f"/api/v1/fhir/ServiceRequest/{waiting.public_id}/")


def matches(bundle: Bundle) -> list:
    return [entry for entry in bundle.entry if entry.search.mode == "match"]


def test_a_bad_search_is_an_operation_outcome(login, manager):
    response = login(manager).get(url(), {"subject:identifier": "urn:other|123"})

    assert response.status_code == 400
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue[0].code == "invalid"


def test_a_clinician_sees_only_their_queues_referrals_as_fhir(login, waiting, clinician, mental_clinician):
    assert login(clinician).get(url(waiting)).status_code == 200
    assert login(clinician).get(url()).json()["total"] == 1

    outsider = login(mental_clinician).get(url(waiting))
    assert outsider.status_code == 404
    assert OperationOutcome.model_validate(outsider.json()).issue[0].code == "not-found"
    assert login(mental_clinician).get(url()).json()["total"] == 0


@pytest.mark.parametrize("person", ["toc_member", "referrer"])
def test_roles_that_may_not_see_referrals_are_refused(login, request, waiting, person):
    response = login(request.getfixturevalue(person)).get(url(waiting))

    assert response.status_code == 403
    assert OperationOutcome.model_validate(response.json()).issue[0].code == "forbidden"


def test_anonymous_callers_are_refused(login, waiting):
    for response in (login(None).get(url(waiting)), login(None).get(url())):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert OperationOutcome.model_validate(response.json()).issue[0].code == "login"

"""Every FHIR resource we put out is valid under fhir.resources' R4B models, with every value of
every choice behind it mapped (status, priority, triage outcome), UK Core profiles in meta, and
errors, an unexpected one too, as OperationOutcomes."""

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient as FHIRPatient
from fhir.resources.R4B.servicerequest import ServiceRequest

from referrals.models import Referral
from reporting import fhir
from tests import factories
from triage import services as triage_services
from triage.models import QueueItem, TriageDecision

SEARCH = "/api/v1/fhir/ServiceRequest/"
UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/"


def test_every_status_priority_and_outcome_has_its_fhir_code():
    assert set(fhir.STATUS) == set(QueueItem.Status.values)
    assert set(fhir.STATUS.values()) <= fhir.REQUEST_STATUS_CODES
    assert set(fhir.PRIORITY) == set(TriageDecision.Priority.values)
    assert set(fhir.PRIORITY.values()) <= fhir.REQUEST_PRIORITY_CODES
    assert set(fhir.OUTCOME_TEXT) == set(TriageDecision.Outcome.values)


def _decided(referral: Referral, clinician, priority: str, outcome: str, **extra) -> None:
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
    triage_services.triage_decision_record(
        item=referral.queue_item, actor=clinician, priority=priority, outcome=outcome, clinical_note="Assessed",
        **extra,
    )


OUTCOME_EXTRA = {
    "transfer": lambda world: {"transfer_to": world["mental_queue"]},
    "refer_on": lambda world: {"referred_to": "Falls clinic"},
    "signpost": lambda world: {"signposted_to": "Befriending service"},
}


@pytest.mark.parametrize("priority", TriageDecision.Priority.values)
@pytest.mark.parametrize("outcome", TriageDecision.Outcome.values)
def test_every_priority_and_outcome_reads_back_as_a_valid_service_request(
    login, manager, falls, call_handler, clinician, mental_queue, priority, outcome
):
    referral = factories.referral(need=falls, actor=call_handler)
    extra = OUTCOME_EXTRA.get(outcome, lambda world: {})({"mental_queue": mental_queue})
    try:
        _decided(referral, clinician, priority, outcome, **extra)
    except Exception as error:  # an outcome that needs more than the walk gives says which field
        pytest.fail(f"{outcome}: {error}")

    body = login(manager).get(f"{SEARCH}{referral.public_id}/").json()

    resource = ServiceRequest.model_validate(body)
    assert resource.meta.profile == [f"{UK_CORE}UKCore-ServiceRequest"]
    assert body["priority"] == fhir.PRIORITY[priority]
    if outcome == "transfer":  # waiting again, in the new queue: no outcome yet
        assert body["status"] == "active" and "extension" not in body
    else:
        assert body["status"] == "completed"
        assert body["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == outcome


def test_every_queue_item_status_reads_back_as_a_valid_service_request(login, manager, falls, call_handler, clinician):
    waiting, claimed, triaged, withdrawn, returned = (factories.referral(need=falls, actor=call_handler) for _ in range(5))
    triage_services.queue_item_claim(item=claimed.queue_item, actor=clinician)
    triage_services.queue_item_claim(item=returned.queue_item, actor=clinician)
    triage_services.queue_item_return(item=returned.queue_item, actor=clinician, reason="not_for_this_service", note="GP")
    _decided(triaged, clinician, "urgent", "accept")
    triage_services.referral_cancel(referral=withdrawn, actor=call_handler, reason="Sent in error")
    expected = {waiting: "active", claimed: "active", triaged: "completed", withdrawn: "revoked", returned: "revoked"}
    statuses = set(QueueItem.objects.filter(referral__in=expected).values_list("status", flat=True))
    assert statuses == set(QueueItem.Status.values)  # the walk covers every status

    for referral, status in expected.items():
        body = login(manager).get(f"{SEARCH}{referral.public_id}/").json()
        assert ServiceRequest.model_validate(body).status == status


@pytest.mark.parametrize("referrer_type", Referral.ReferrerType.values)
def test_every_kind_of_referrer_reads_back_valid(login, manager, falls, call_handler, referrer_type):
    referral = factories.referral(need=falls, actor=call_handler, referrer_type=referrer_type)

    ServiceRequest.model_validate(login(manager).get(f"{SEARCH}{referral.public_id}/").json())


def test_the_patient_is_a_valid_uk_core_patient_by_nhs_number_included_once_in_the_search(
    login, manager, falls, call_handler, practice
):
    known = factories.patient(nhs_number="9990000018", gp_practice=practice, address="3 Mill Lane")
    for _ in range(2):
        factories.referral(need=falls, actor=call_handler, patient_=known)
    factories.referral(need=falls, actor=call_handler)  # someone with no NHS number

    bundle = Bundle.model_validate(login(manager).get(SEARCH).json())

    patients = [entry for entry in bundle.entry if entry.search.mode == "include"]
    assert len(patients) == 2 and all(isinstance(entry.resource, FHIRPatient) for entry in patients)
    mine = next(entry for entry in patients if entry.resource.id == str(known.public_id))
    assert mine.resource.meta.profile == [f"{UK_CORE}UKCore-Patient"]
    assert (mine.resource.identifier[0].system, mine.resource.identifier[0].value) == (fhir.NHS_NUMBER_SYSTEM, "9990000018")
    assert mine.resource.generalPractitioner[0].identifier.value == "B86001"
    read = login(manager).get(mine.fullUrl)
    assert read.status_code == 200 and FHIRPatient.model_validate(read.json()).id == str(known.public_id)
    requests = [entry.resource for entry in bundle.entry if entry.search.mode == "match"]
    assert {request.subject.reference for request in requests} >= {f"Patient/{known.public_id}"}


def test_the_search_takes_the_same_queries_for_many_referrals_as_for_few(
    login, manager, falls, call_handler, clinician, django_assert_max_num_queries
):
    def search_with(count: int) -> None:
        for _ in range(count):
            _decided(factories.referral(need=falls, actor=call_handler), clinician, "urgent", "accept")
        client = login(manager)
        with django_assert_max_num_queries(8):
            assert client.get(SEARCH, {"_count": 50}).status_code == 200

    search_with(2)
    search_with(20)


def test_a_patient_you_may_not_see_is_a_not_found_outcome(login, mental_clinician, referral):
    response = login(mental_clinician).get(f"/api/v1/fhir/Patient/{referral.patient.public_id}/")

    assert response.status_code == 404
    assert OperationOutcome.model_validate(response.json()).issue[0].code == "not-found"


def test_an_unexpected_failure_is_a_500_operation_outcome_not_plain_text(login, manager, referral, monkeypatch):
    def broken(referral):
        raise RuntimeError("a bug")

    monkeypatch.setattr(fhir, "service_request", broken)

    response = login(manager).get(f"{SEARCH}{referral.public_id}/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/fhir+json"
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue[0].code == "exception" and "a bug" not in outcome.issue[0].diagnostics


def test_a_method_the_endpoint_does_not_offer_is_an_operation_outcome(login, manager):
    response = login(manager).delete(SEARCH)

    assert response.status_code == 405
    assert OperationOutcome.model_validate(response.json()).issue[0].code == "not-supported"

"""Referrals received as BaRS-style FHIR messages at /fhir/R4/$process-message, read back and cancelled.

The example messages in docs/fhir/ are the ones posted here, so the documentation is tested too.
"""

import copy
import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient as FHIRPatient
from fhir.resources.R4B.servicerequest import ServiceRequest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ccc.models import User
from escalations.models import Clock
from interop.models import ReceivedMessage
from referrals.models import Referral
from tests import factories
from triage import services as triage_services
from triage.models import QueueItem

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "fhir"
PROCESS = "/fhir/R4/$process-message"
FHIR_JSON = "application/fhir+json"
TRACE = {"HTTP_X_REQUEST_ID": "req-0001", "HTTP_X_CORRELATION_ID": "corr-0042"}


def example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def send(client: APIClient, body, **headers):
    return client.post(PROCESS, json.dumps(body), content_type=FHIR_JSON, **{**TRACE, **headers})


@pytest.fixture
def sender(referrer):
    """The practice's system, signing in with its API token as the token's user would."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=referrer).key}")
    return client


@pytest.fixture
def referral_message(falls):
    return example("referral-message.json")


def outcome(response) -> OperationOutcome:
    assert response["Content-Type"] == FHIR_JSON
    return OperationOutcome.model_validate(response.json())


def test_a_bars_message_becomes_a_referral_routed_with_its_clock_like_any_other(sender, referrer, practice, referral_message):
    response = send(sender, referral_message)

    assert response.status_code == 200, response.content
    reply = Bundle.model_validate(response.json())
    referral = Referral.objects.get()
    assert reply.type == "message"
    header, request = reply.entry[0].resource, reply.entry[1].resource
    assert header.response.identifier == "3b7c1e0a-6f0d-4c55-9d8a-2b9a4e1f0c11" and header.response.code == "ok"
    assert isinstance(request, ServiceRequest) and request.id == str(referral.public_id) and request.status == "active"
    assert referral.channel == Referral.Channel.ELECTRONIC and referral.referring_practice == practice
    assert referral.need.code == "falls" and referral.reason.startswith("Fell twice this week")
    assert referral.patient.nhs_number == "9990000018" and referral.patient.family_name == "Ellis"
    assert referral.queue_item.status == QueueItem.Status.WAITING and referral.queue_item.queue.code == "physical-health"
    assert Clock.objects.filter(subject_id=referral.pk, kind="triage", state=Clock.State.OPEN).exists()
    message = ReceivedMessage.objects.get()
    assert (message.sender, message.referral, message.request_id, message.correlation_id) == (
        referrer, referral, "req-0001", "corr-0042"
    )


def test_the_request_and_correlation_ids_are_echoed_on_success_and_on_refusal(sender, referral_message):
    accepted = send(sender, referral_message)
    refused = send(sender, {"resourceType": "Patient"})

    for response in (accepted, refused):
        assert response["X-Request-ID"] == "req-0001" and response["X-Correlation-ID"] == "corr-0042"


def test_the_same_message_sent_again_is_a_409_and_makes_no_second_referral(sender, referral_message):
    send(sender, referral_message)

    again = send(sender, referral_message)

    assert again.status_code == 409
    assert outcome(again).issue[0].code == "conflict"
    assert "already processed" in outcome(again).issue[0].diagnostics
    assert Referral.objects.count() == 1 and ReceivedMessage.objects.count() == 1


def test_the_same_service_request_under_a_new_message_id_is_a_409_too(sender, referral_message):
    send(sender, referral_message)
    resent = copy.deepcopy(referral_message)
    resent["entry"][0]["resource"]["id"] = "another-message-id"

    response = send(sender, resent)

    assert response.status_code == 409 and "already received as referral" in outcome(response).issue[0].diagnostics
    assert Referral.objects.count() == 1


def _without(message: dict, resource_type: str) -> dict:
    changed = copy.deepcopy(message)
    changed["entry"] = [entry for entry in changed["entry"] if entry["resource"]["resourceType"] != resource_type]
    return changed


def _with(message: dict, index: int, **fields) -> dict:
    changed = copy.deepcopy(message)
    changed["entry"][index]["resource"].update(fields)
    return changed


INVALID = {
    "not a bundle": lambda m: {"resourceType": "Patient"},
    "not FHIR at all": lambda m: ["a", "list"],
    "a shape error (birthDate not a date)": lambda m: _with(m, 2, birthDate="3rd April 1948"),
    "a collection, not a message": lambda m: {**m, "type": "collection"},
    "another event": lambda m: _with(m, 0, eventCoding={"system": "https://fhir.nhs.uk/CodeSystem/message-events-bars",
                                                         "code": "booking-request"}),
    "no patient": lambda m: _without(m, "Patient"),
    "no encounter": lambda m: _without(m, "Encounter"),
    "no need code": lambda m: _with(m, 1, code={"text": "Falls"}),
    "a need we do not have": lambda m: _with(m, 1, code={"coding": [
        {"system": "https://ccc.example.nhs.uk/Id/need-category", "code": "dentistry"}]}),
    "a bad NHS number": lambda m: _with(m, 2, identifier=[{"system": "https://fhir.nhs.uk/Id/nhs-number",
                                                          "value": "9990000019"}]),
    "a draft": lambda m: _with(m, 1, status="draft"),
}


@pytest.mark.parametrize("fault", INVALID)
def test_an_invalid_message_is_a_400_operation_outcome_and_records_nothing(sender, referral_message, fault):
    response = send(sender, INVALID[fault](referral_message))

    assert response.status_code == 400
    issues = outcome(response).issue
    assert issues[0].code == "invalid" and issues[0].diagnostics
    assert not Referral.objects.exists() and not ReceivedMessage.objects.exists()


def test_a_body_that_is_not_json_is_a_400_operation_outcome(sender):
    response = sender.post(PROCESS, "{not json", content_type=FHIR_JSON)

    assert response.status_code == 400 and outcome(response).issue[0].code == "invalid"


def test_a_sender_may_send_only_for_their_own_practice(falls, referral_message):
    other = factories.user(User.Role.REFERRER, organisation=factories.gp_practice(name="Beech Road", ods_code="B86002"))
    client = APIClient()
    client.force_authenticate(user=other)

    response = send(client, referral_message)

    assert response.status_code == 403 and outcome(response).issue[0].code == "forbidden"
    assert not Referral.objects.exists()


@pytest.mark.parametrize("role", [role for role in User.Role.values if role != User.Role.REFERRER])
def test_staff_roles_may_not_send_messages(login, referral_message, role):
    response = send(login(factories.user(role)), referral_message)

    assert response.status_code == 403 and outcome(response).issue[0].code == "forbidden"


def test_without_a_token_the_sender_is_refused_as_fhir(referral_message):
    for client in (APIClient(), APIClient()):
        client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    anonymous = send(APIClient(), referral_message)
    bad_token = send(client, referral_message)

    for response in (anonymous, bad_token):
        assert response.status_code == 401 and outcome(response).issue[0].code == "login"
    assert not Referral.objects.exists()


def test_the_sender_reads_progress_back_as_the_service_request_status(sender, referral_message, clinician):
    body = send(sender, referral_message).json()
    url = body["entry"][1]["fullUrl"]
    referral = Referral.objects.get()

    waiting = ServiceRequest.model_validate(sender.get(url).json())
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
    triage_services.triage_decision_record(
        item=referral.queue_item, actor=clinician, priority="urgent", outcome="accept", clinical_note="Seen"
    )
    triaged = sender.get(url).json()

    assert waiting.status == "active" and waiting.priority is None
    ServiceRequest.model_validate(triaged)
    assert triaged["status"] == "completed" and triaged["priority"] == "urgent"
    assert triaged["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "accept"
    assert "Seen" not in json.dumps(triaged)  # the clinical note stays with the centre
    patient = FHIRPatient.model_validate(sender.get(f"/fhir/R4/{triaged['subject']['reference']}").json())
    assert patient.identifier[0].system == "https://fhir.nhs.uk/Id/nhs-number"


def test_another_practice_cannot_read_the_referral_back(sender, referral_message):
    url = send(sender, referral_message).json()["entry"][1]["fullUrl"]
    other = APIClient()
    other.force_authenticate(user=factories.user(User.Role.REFERRER, organisation=factories.gp_practice()))

    response = other.get(url)

    assert response.status_code == 404 and outcome(response).issue[0].code == "not-found"


def test_a_cancellation_withdraws_the_referral_from_the_queue_and_stops_its_clock(sender, referral_message):
    send(sender, referral_message)
    referral = Referral.objects.get()

    response = send(sender, example("cancel-message.json"))

    assert response.status_code == 200, response.content
    assert Bundle.model_validate(response.json()).entry[1].resource.status == "revoked"
    referral.queue_item.refresh_from_db()
    assert referral.queue_item.status == QueueItem.Status.WITHDRAWN
    assert not Clock.objects.filter(subject_id=referral.pk, kind="triage", state=Clock.State.OPEN).exists()
    assert referral.timeline.last().summary.endswith("Admitted to hospital this morning: no longer needs a visit")
    url = f"/fhir/R4/ServiceRequest/{referral.public_id}"
    assert sender.get(url).json()["status"] == "revoked"
    assert send(sender, example("cancel-message.json")).status_code == 409


def test_a_cancellation_sent_again_under_a_new_message_id_is_still_one_cancellation(sender, referral_message):
    send(sender, referral_message)
    send(sender, example("cancel-message.json"))
    again = example("cancel-message.json")
    again["entry"][0]["resource"]["id"] = "0b1c2d3e-4f50-4617-8283-949596979899"

    response = send(sender, again)

    assert response.status_code == 200, response.content
    referral = Referral.objects.get()
    assert referral.timeline.filter(kind="withdrawn").count() == 1
    assert ReceivedMessage.objects.filter(kind=ReceivedMessage.Kind.CANCELLATION).count() == 2


def test_a_referral_already_triaged_cannot_be_cancelled(sender, referral_message, clinician):
    send(sender, referral_message)
    item = Referral.objects.get().queue_item
    triage_services.queue_item_claim(item=item, actor=clinician)
    triage_services.triage_decision_record(
        item=item, actor=clinician, priority="urgent", outcome="accept", clinical_note="Seen"
    )

    response = send(sender, example("cancel-message.json"))

    assert response.status_code == 409 and "already been triaged" in outcome(response).issue[0].diagnostics
    item.refresh_from_db()
    assert item.status == QueueItem.Status.TRIAGED


def test_a_cancellation_of_someone_elses_or_no_referral_is_refused(sender, falls):
    response = send(sender, example("cancel-message.json"))

    assert response.status_code == 400 and "No referral of yours" in outcome(response).issue[0].diagnostics

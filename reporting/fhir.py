"""Referrals as HL7 FHIR R4 ServiceRequest resources and their patients as Patient resources, in the
UK Core shape (profiles in ``meta.profile``).

Plain dictionaries built from our models; the tests validate them with ``fhir.resources``
(its R4B models), which checks shape but not code values, so the value sets are spelt out here and
a test walks every value of every choice through them.
"""

from datetime import UTC

from django.conf import settings
from django.utils import timezone

from referrals.models import Patient, Referral
from referrals.tracking import NEXT_STEP_AFTER_TRIAGE
from triage.models import QueueItem, TriageDecision

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_CODE_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
UK_CORE_PROFILE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"
UK_CORE_PATIENT_PROFILE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"
# UK Core's NHS number slice carries how far the number was checked (docs/fhir/profiles): ours are
# typed by a call handler or sent by a referrer, never traced against the Spine, so "02".
NHS_NUMBER_VERIFICATION = {
    "url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus",
    "valueCodeableConcept": {
        "coding": [{
            "system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland",
            "code": "02",
            "display": "Number present but not traced",
        }]
    },
}
# BaRS: the one event we receive and answer (docs/FHIR.md).
MESSAGE_EVENT_SYSTEM = "https://fhir.nhs.uk/CodeSystem/message-events-bars"
MESSAGE_EVENT = "servicerequest-request"
# Our own identifiers; a deployment sets its organisation's address (settings.CCC_FHIR_IDENTIFIER_BASE).
DEFAULT_IDENTIFIER_BASE = "https://ccc.example.nhs.uk/Id"

# http://hl7.org/fhir/request-status (R4): what the referral's workflow step means to a partner.
STATUS = {
    QueueItem.Status.WAITING: "active",
    QueueItem.Status.CLAIMED: "active",
    QueueItem.Status.TRIAGED: "completed",
    # Cancelled by the referrer before triage (docs/FHIR.md).
    QueueItem.Status.WITHDRAWN: "revoked",
    # Returned to the referrer by a clinician: this request ends; a corrected one is a new request.
    QueueItem.Status.RETURNED: "revoked",
}
# http://hl7.org/fhir/request-priority (R4): routine | urgent | asap | stat. An emergency is stat,
# very urgent is asap ("as soon as possible, in priority to urgent"). tests/reporting walk every priority.
PRIORITY = {
    TriageDecision.Priority.ROUTINE: "routine",
    TriageDecision.Priority.URGENT: "urgent",
    TriageDecision.Priority.VERY_URGENT: "asap",
    TriageDecision.Priority.EMERGENCY: "stat",
}
# What triage decided, for a partner's system to act on: our own code system, and the words the
# referrer's tracking page uses (nothing clinical). A transfer is not an outcome: the item waits again.
TRIAGE_OUTCOME_EXTENSION = "triage-outcome"
OUTCOME_TEXT = {
    **NEXT_STEP_AFTER_TRIAGE,
    TriageDecision.Outcome.TRANSFER: "Transferred to another duty queue for triage",
}
REQUEST_STATUS_CODES = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
REQUEST_PRIORITY_CODES = {"routine", "urgent", "asap", "stat"}


def system(name: str) -> str:
    """Our own code or identifier system ``name`` (need-category, referral, duty-queue...)."""
    return f"{getattr(settings, 'CCC_FHIR_IDENTIFIER_BASE', DEFAULT_IDENTIFIER_BASE).rstrip('/')}/{name}"


def _instant(value) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def service_request(referral: Referral) -> dict:
    """One referral as a ServiceRequest. Expects queue_item, its queue and decisions loaded with it."""
    item = getattr(referral, "queue_item", None)
    decisions = list(item.decisions.all()) if item else []
    decision = decisions[0] if decisions else None
    patient = referral.patient
    subject: dict = {"reference": f"Patient/{patient.public_id}", "type": "Patient", "display": patient.full_name}
    if patient.nhs_number:
        subject["identifier"] = {"system": NHS_NUMBER_SYSTEM, "value": patient.nhs_number}
    requester = referral.referrer_name
    if referral.referrer_organisation:
        requester += f", {referral.referrer_organisation}"
    resource: dict = {
        "resourceType": "ServiceRequest",
        "id": str(referral.public_id),
        "meta": {"profile": [UK_CORE_PROFILE]},
        "identifier": [{"system": system("referral"), "value": referral.reference}],
        "status": STATUS[item.status] if item else "draft",
        "intent": "order",
        "code": {
            "coding": [{"system": system("need-category"), "code": referral.need.code, "display": referral.need.name}],
            "text": referral.need.name,
        },
        "subject": subject,
        "authoredOn": _instant(referral.received_at),
        "requester": {"display": f"{requester} ({referral.get_referrer_type_display()})"},
        "reasonCode": [{"text": referral.reason}],
    }
    if decision is not None:
        resource["priority"] = PRIORITY[decision.priority]
    if item is not None and item.status == QueueItem.Status.RETURNED:
        resource["extension"] = [_outcome_extension(f"returned-{item.return_reason}", item.get_return_reason_display(),
                                                    f"Returned to the referrer: {item.return_note}")]
    if decision is not None and item.status == QueueItem.Status.TRIAGED:
        resource["extension"] = [
            _outcome_extension(decision.outcome, decision.get_outcome_display(), OUTCOME_TEXT[decision.outcome])
        ]
    if item is not None:
        resource["performer"] = [
            {
                "type": "HealthcareService",
                "identifier": {"system": system("duty-queue"), "value": item.queue.code},
                "display": item.queue.name,
            }
        ]
    if referral.needs_description:
        resource["note"] = [{"text": referral.needs_description}]
    return resource


def patient_resource(patient: Patient) -> dict:
    """The patient as a UK Core Patient: NHS number, name, date of birth, postcode, registered practice."""
    resource: dict = {
        "resourceType": "Patient",
        "id": str(patient.public_id),
        "meta": {"profile": [UK_CORE_PATIENT_PROFILE]},
        "name": [{"use": "official", "family": patient.family_name, "given": [patient.given_name]}],
        "birthDate": patient.date_of_birth.isoformat(),
    }
    if patient.nhs_number:
        resource["identifier"] = [
            {"extension": [NHS_NUMBER_VERIFICATION], "system": NHS_NUMBER_SYSTEM, "value": patient.nhs_number}
        ]
    if patient.postcode or patient.address:
        address: dict = {"use": "home"}
        if patient.address:
            address["text"] = patient.address
        if patient.postcode:
            address["postalCode"] = patient.postcode
        resource["address"] = [address]
    practice = patient.gp_practice
    if practice is not None:
        reference: dict = {"type": "Organization", "display": practice.name}
        if practice.ods_code:
            reference["identifier"] = {"system": ODS_CODE_SYSTEM, "value": practice.ods_code}
        resource["generalPractitioner"] = [reference]
    return resource


def _outcome_extension(code: str, display: str, text: str) -> dict:
    """What became of the request, in our triage-outcome code system and in the referrer's words."""
    url = system(TRIAGE_OUTCOME_EXTENSION)
    return {
        "url": url,
        "valueCodeableConcept": {"coding": [{"system": url, "code": code, "display": display}], "text": text},
    }


def search_bundle(
    *, referrals: list[Referral], total: int, self_url: str, next_url: str | None, base_url: str, patient_base_url: str
) -> dict:
    """A searchset Bundle of ServiceRequests, each patient included once, with the links to page through it.

    Each fullUrl is where the API answers that resource (its routes end in a slash)."""
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    entries = [
        {"fullUrl": f"{base_url}{referral.public_id}/", "resource": service_request(referral), "search": {"mode": "match"}}
        for referral in referrals
    ]
    patients = {referral.patient.public_id: referral.patient for referral in referrals}
    entries += [
        {"fullUrl": f"{patient_base_url}{public_id}/", "resource": patient_resource(patient), "search": {"mode": "include"}}
        for public_id, patient in patients.items()
    ]
    return {"resourceType": "Bundle", "type": "searchset", "total": total, "link": links, "entry": entries}


def operation_outcome(code: str, diagnostics: str) -> dict:
    """An error as FHIR clients expect it (code from http://hl7.org/fhir/issue-type)."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }


def message_response(*, request_header_id: str, response_id: str, referral: Referral, endpoint: str, full_url: str) -> dict:
    """The reply to a message sent to ``$process-message``: a message Bundle whose MessageHeader
    answers the sender's (response code ok) and whose focus is the ServiceRequest as we now hold it."""
    return {
        "resourceType": "Bundle",
        "id": response_id,
        "type": "message",
        "timestamp": _instant(timezone.now()),
        "entry": [
            {
                "fullUrl": f"urn:uuid:{response_id}",
                "resource": {
                    "resourceType": "MessageHeader",
                    "id": response_id,
                    "eventCoding": {"system": MESSAGE_EVENT_SYSTEM, "code": MESSAGE_EVENT},
                    "source": {"endpoint": endpoint},
                    "response": {"identifier": request_header_id, "code": "ok"},
                    "focus": [{"reference": full_url}],
                },
            },
            {"fullUrl": full_url, "resource": service_request(referral)},
        ],
    }

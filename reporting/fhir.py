"""Referrals as HL7 FHIR R4 ServiceRequest resources, in the UK Core shape where it applies.

Plain dictionaries built from our models; the tests validate them with ``fhir.resources``
(its R4B models), which checks shape but not code values, so the value sets are spelt out here.
"""

from datetime import UTC

from django.conf import settings

from referrals.models import Referral
from triage.models import QueueItem, TriageDecision

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
UK_CORE_PROFILE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest"
# Our own identifiers; a deployment sets its organisation's address (settings.CCC_FHIR_IDENTIFIER_BASE).
DEFAULT_IDENTIFIER_BASE = "https://ccc.example.nhs.uk/Id"

# http://hl7.org/fhir/request-status (R4): what the referral's workflow step means to a partner.
STATUS = {
    QueueItem.Status.WAITING: "active",
    QueueItem.Status.CLAIMED: "active",
    QueueItem.Status.TRIAGED: "completed",
}
# http://hl7.org/fhir/request-priority (R4): routine | urgent | asap | stat. An emergency is stat,
# very urgent is asap ("as soon as possible, in priority to urgent"). tests/reporting walk every priority.
PRIORITY = {
    TriageDecision.Priority.ROUTINE: "routine",
    TriageDecision.Priority.URGENT: "urgent",
    TriageDecision.Priority.VERY_URGENT: "asap",
    TriageDecision.Priority.EMERGENCY: "stat",
}
REQUEST_STATUS_CODES = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error", "unknown"}
REQUEST_PRIORITY_CODES = {"routine", "urgent", "asap", "stat"}


def _system(name: str) -> str:
    return f"{getattr(settings, 'CCC_FHIR_IDENTIFIER_BASE', DEFAULT_IDENTIFIER_BASE).rstrip('/')}/{name}"


def _instant(value) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def service_request(referral: Referral) -> dict:
    """One referral as a ServiceRequest. Expects queue_item, its queue and decisions loaded with it."""
    item = getattr(referral, "queue_item", None)
    decisions = list(item.decisions.all()) if item else []
    decision = decisions[0] if decisions else None
    patient = referral.patient
    subject: dict = {"type": "Patient", "display": patient.full_name}
    if patient.nhs_number:
        subject["identifier"] = {"system": NHS_NUMBER_SYSTEM, "value": patient.nhs_number}
    requester = referral.referrer_name
    if referral.referrer_organisation:
        requester += f", {referral.referrer_organisation}"
    resource: dict = {
        "resourceType": "ServiceRequest",
        "id": str(referral.public_id),
        "meta": {"profile": [UK_CORE_PROFILE]},
        "identifier": [{"system": _system("referral"), "value": referral.reference}],
        "status": STATUS[item.status] if item else "draft",
        "intent": "order",
        "code": {
            "coding": [{"system": _system("need-category"), "code": referral.need.code, "display": referral.need.name}],
            "text": referral.need.name,
        },
        "subject": subject,
        "authoredOn": _instant(referral.received_at),
        "requester": {"display": f"{requester} ({referral.get_referrer_type_display()})"},
        "reasonCode": [{"text": referral.reason}],
    }
    if decision is not None:
        resource["priority"] = PRIORITY[decision.priority]
    if item is not None:
        resource["performer"] = [
            {
                "type": "HealthcareService",
                "identifier": {"system": _system("duty-queue"), "value": item.queue.code},
                "display": item.queue.name,
            }
        ]
    if referral.needs_description:
        resource["note"] = [{"text": referral.needs_description}]
    return resource


def search_bundle(*, referrals: list[Referral], total: int, self_url: str, next_url: str | None, base_url: str) -> dict:
    """A searchset Bundle of ServiceRequests, with the links to page through it."""
    links = [{"relation": "self", "url": self_url}]
    if next_url:
        links.append({"relation": "next", "url": next_url})
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": [
            {
                "fullUrl": f"{base_url}{referral.public_id}",
                "resource": service_request(referral),
                "search": {"mode": "match"},
            }
            for referral in referrals
        ],
    }


def operation_outcome(code: str, diagnostics: str) -> dict:
    """An error as FHIR clients expect it (code from http://hl7.org/fhir/issue-type)."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }

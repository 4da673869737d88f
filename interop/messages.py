"""Reading a BaRS-style message Bundle: validated against the FHIR R4B models, then the few facts
a referral needs taken out of it. Parsing only: what the facts mean is the service's business.

The shape (docs/FHIR.md, examples in docs/fhir/): a Bundle of type ``message`` whose first entry is
a MessageHeader with event ``servicerequest-request`` and ``focus`` on the ServiceRequest; the
ServiceRequest's ``subject`` and ``encounter`` name the Patient and Encounter entries; the sender
is an Organization named by ODS code in ``MessageHeader.sender``. A ServiceRequest with status
``active`` is a new referral; the same ServiceRequest id sent again with status ``revoked`` cancels
it (BaRS's update-to-cancel).
"""

from dataclasses import dataclass
from datetime import date

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError as PydanticValidationError

from referrals.services import PatientDetails
from reporting.fhir import MESSAGE_EVENT as EVENT
from reporting.fhir import MESSAGE_EVENT_SYSTEM as EVENT_SYSTEM
from reporting.fhir import NHS_NUMBER_SYSTEM, ODS_CODE_SYSTEM, system

NEW, CANCEL = "active", "revoked"


class InvalidMessage(ValueError):
    """The message is not one we can read; ``issues`` say where and why, for an OperationOutcome."""

    def __init__(self, *issues: str):
        self.issues = list(issues)
        super().__init__("; ".join(issues))


@dataclass(frozen=True)
class ReferralMessage:
    header_id: str
    sender_ods_code: str
    service_request_id: str
    status: str  # NEW or CANCEL
    need_code: str
    reason: str
    needs_description: str
    patient: PatientDetails | None
    cancel_reason: str


def _where(location: tuple) -> str:
    return ".".join(str(part) for part in location)


def _validated(data: object) -> dict:
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise InvalidMessage("The body must be a FHIR Bundle (resourceType Bundle) of type message")
    try:
        Bundle.model_validate(data)
    except PydanticValidationError as error:
        raise InvalidMessage(
            *(f"Bundle.{_where(issue['loc'])}: {issue['msg']}" for issue in error.errors()[:20])
        ) from None
    if data.get("type") != "message":
        raise InvalidMessage("Bundle.type must be message")
    return data


def _entries(bundle: dict) -> dict[str, dict]:
    """Each entry's resource by the references that may name it: its fullUrl and Type/id."""
    found: dict[str, dict] = {}
    for entry in bundle.get("entry") or []:
        resource = entry.get("resource") or {}
        if entry.get("fullUrl"):
            found[entry["fullUrl"]] = resource
        if resource.get("id"):
            found[f"{resource['resourceType']}/{resource['id']}"] = resource
    return found


def _resolve(entries: dict[str, dict], reference: dict | None, kind: str, where: str) -> dict:
    resource = entries.get((reference or {}).get("reference", ""))
    if resource is None or resource.get("resourceType") != kind:
        raise InvalidMessage(f"{where} must reference a {kind} entry in the Bundle")
    return resource


def _identifier(identifiers: list | dict | None, system_url: str) -> str:
    if isinstance(identifiers, dict):
        identifiers = [identifiers]
    return next((item.get("value", "") for item in identifiers or [] if item.get("system") == system_url), "")


def _header(bundle: dict) -> dict:
    entries = bundle.get("entry") or []
    header = entries[0].get("resource", {}) if entries else {}
    if header.get("resourceType") != "MessageHeader":
        raise InvalidMessage("Bundle.entry[0] must be the MessageHeader")
    event = header.get("eventCoding") or {}
    if (event.get("system"), event.get("code")) != (EVENT_SYSTEM, EVENT):
        raise InvalidMessage(f"MessageHeader.eventCoding must be {EVENT_SYSTEM}|{EVENT}")
    if not header.get("id"):
        raise InvalidMessage("MessageHeader.id is required: it is how a message sent twice is known")
    return header


def _patient(resource: dict) -> PatientDetails:
    names = resource.get("name") or [{}]
    name = next((item for item in names if item.get("use") == "official"), names[0])
    address = (resource.get("address") or [{}])[0]
    if not resource.get("birthDate") or not name.get("family") or not name.get("given"):
        raise InvalidMessage("Patient needs an NHS number, a name (family and given) and a birthDate")
    return PatientDetails(
        nhs_number=_identifier(resource.get("identifier"), NHS_NUMBER_SYSTEM),
        given_name=" ".join(name["given"]),
        family_name=name["family"],
        date_of_birth=date.fromisoformat(resource["birthDate"][:10]),
        postcode=address.get("postalCode", ""),
    )


def referral_message(data: object) -> ReferralMessage:
    """The facts of a valid message; ``InvalidMessage`` saying what is wrong with any other."""
    bundle = _validated(data)
    entries = _entries(bundle)
    header = _header(bundle)
    sender = header.get("sender") or {}
    ods_code = _identifier(sender.get("identifier"), ODS_CODE_SYSTEM)
    if not ods_code and sender.get("reference"):
        organisation = _resolve(entries, sender, "Organization", "MessageHeader.sender")
        ods_code = _identifier(organisation.get("identifier"), ODS_CODE_SYSTEM)
    if not ods_code:
        raise InvalidMessage(f"MessageHeader.sender must name the sending organisation by ODS code ({ODS_CODE_SYSTEM})")
    focus = header.get("focus") or [None]
    request = _resolve(entries, focus[0], "ServiceRequest", "MessageHeader.focus")
    if not request.get("id"):
        raise InvalidMessage("ServiceRequest.id is required: a cancellation names it")
    status = request.get("status")
    if status not in (NEW, CANCEL):
        raise InvalidMessage(f"ServiceRequest.status must be {NEW} (a new referral) or {CANCEL} (cancel it)")
    notes = " ".join(note.get("text", "") for note in request.get("note") or []).strip()
    if status == CANCEL:
        return ReferralMessage(
            header_id=header["id"], sender_ods_code=ods_code, service_request_id=request["id"], status=status,
            need_code="", reason="", needs_description="", patient=None,
            cancel_reason=notes or "Cancelled by the referrer's system",
        )
    _resolve(entries, request.get("encounter"), "Encounter", "ServiceRequest.encounter")
    patient = _patient(_resolve(entries, request.get("subject"), "Patient", "ServiceRequest.subject"))
    codings = (request.get("code") or {}).get("coding") or []
    need_code = next((item.get("code", "") for item in codings if item.get("system") == system("need-category")), "")
    reason = " ".join(item.get("text", "") for item in request.get("reasonCode") or []).strip()
    if not need_code:
        raise InvalidMessage(f"ServiceRequest.code needs a coding from {system('need-category')} (the codes are in docs/FHIR.md)")
    if not reason:
        raise InvalidMessage("ServiceRequest.reasonCode needs the reason for referral as text")
    return ReferralMessage(
        header_id=header["id"], sender_ods_code=ods_code, service_request_id=request["id"], status=status,
        need_code=need_code, reason=reason, needs_description=notes, patient=patient, cancel_reason="",
    )

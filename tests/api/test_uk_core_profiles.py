"""Every ServiceRequest and Patient we put out meets the UK Core profile it claims, as far as the stored
profiles let us check offline (tests/api/uk_core.py says what is and is not checked)."""

import copy
import json
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from reporting import fhir
from tests import factories
from tests.api.uk_core import problems, profiles
from triage import services as triage_services
from triage.models import TriageDecision

SEARCH = "/api/v1/fhir/ServiceRequest/"
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "fhir"


def _triaged(referral, clinician, priority: str) -> None:
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
    triage_services.triage_decision_record(
        item=referral.queue_item, actor=clinician, priority=priority, outcome="accept", clinical_note="Assessed"
    )


@pytest.fixture
def every_kind(falls, call_handler, clinician, practice):
    """A referral in each state and of each priority; patients with and without NHS number, address, practice."""
    known = factories.patient(nhs_number="9990000018", gp_practice=practice, address="3 Mill Lane", postcode="LS6 2AB")
    made = [
        factories.referral(need=falls, actor=call_handler, patient_=known, needs_description="Lives alone"),
        factories.referral(need=falls, actor=call_handler),  # no NHS number, no practice
    ]
    for priority in TriageDecision.Priority.values:
        referral = factories.referral(need=falls, actor=call_handler, patient_=known)
        _triaged(referral, clinician, priority)
        made.append(referral)
    returned, cancelled, claimed = (factories.referral(need=falls, actor=call_handler) for _ in range(3))
    for item in (returned.queue_item, claimed.queue_item):
        triage_services.queue_item_claim(item=item, actor=clinician)
    triage_services.queue_item_return(item=returned.queue_item, actor=clinician, reason="not_for_this_service", note="GP")
    triage_services.referral_cancel(referral=cancelled, actor=call_handler, reason="Sent in error")
    return [*made, returned, cancelled, claimed]


def test_every_service_request_and_patient_in_the_search_meets_its_uk_core_profile(login, manager, every_kind):
    bundle = login(manager).get(SEARCH, {"_count": 50}).json()

    resources = [entry["resource"] for entry in bundle["entry"]]
    assert len([r for r in resources if r["resourceType"] == "ServiceRequest"]) == len(every_kind)
    assert {r["resourceType"] for r in resources} == {"ServiceRequest", "Patient"}
    for resource in resources:
        assert problems(resource) == [], resource["id"]


def test_what_a_referrers_system_reads_back_meets_its_uk_core_profile(referrer, falls):
    sender = APIClient()
    sender.force_authenticate(user=referrer)
    message = json.loads((EXAMPLES / "referral-message.json").read_text())

    answer = sender.post("/fhir/R4/$process-message", json.dumps(message), content_type="application/fhir+json").json()

    request = answer["entry"][1]["resource"]
    assert problems(request) == []
    patient = sender.get(f"/fhir/R4/{request['subject']['reference']}").json()
    assert problems(patient) == []
    assert problems(sender.get(f"/fhir/R4/ServiceRequest/{request['id']}").json()) == []


def test_every_profile_we_claim_is_stored_with_its_differential():
    assert {fhir.UK_CORE_PROFILE, fhir.UK_CORE_PATIENT_PROFILE} <= set(profiles())
    for definition in profiles().values():
        assert definition["resourceType"] == "StructureDefinition" and definition["differential"]["element"]


@pytest.fixture
def good(every_kind):
    known = every_kind[0]
    known.refresh_from_db()
    return {"ServiceRequest": fhir.service_request(known), "Patient": fhir.patient_resource(known.patient)}


def _set(path: str, value):
    def change(resource: dict) -> None:
        *parents, last = path.split(".")
        node = resource
        for name in parents:
            node = node[int(name)] if name.isdigit() else node[name]
        if value is None:
            del node[last]
        else:
            node[last] = value

    return change


def _second_nhs_number(resource: dict) -> None:
    resource["identifier"].append(copy.deepcopy(resource["identifier"][0]))


BREAKS = {
    "no status": ("ServiceRequest", _set("status", None), ("ServiceRequest.status ", "at least 1")),
    "an intent outside request-intent": ("ServiceRequest", _set("intent", "sent"), "request-intent"),
    "a priority outside request-priority": ("ServiceRequest", _set("priority", "high"), "request-priority"),
    "a subject of a type the profile does not allow": (
        "ServiceRequest", _set("subject.type", "Practitioner"), ("ServiceRequest.subject ", "a reference to Practitioner")),
    "a note without text": ("ServiceRequest", _set("note", [{"authorString": "Dr Jones"}]), "ServiceRequest.note.text"),
    "no subject": ("ServiceRequest", _set("subject", None), ("ServiceRequest.subject ", "at least 1")),
    "an NHS number without its verification status": (
        "Patient", _set("identifier.0.extension", None), ("nhsNumberVerificationStatus ", "at least 1")),
    "two NHS numbers": ("Patient", _second_nhs_number, ("Patient.identifier:nhsNumber ", "at most 1")),
    "a gender outside administrative-gender": ("Patient", _set("gender", "f"), "administrative-gender"),
    "a name use outside name-use": ("Patient", _set("name.0.use", "legal"), "name-use"),
    "a general practitioner of a type the profile does not allow": (
        "Patient", _set("generalPractitioner.0.type", "Location"), "a reference to Location"),
    "a profile we do not hold": (
        "Patient", _set("meta", {"profile": ["https://example.org/Other"]}), "not a profile we hold"),
}


@pytest.mark.parametrize("name", BREAKS)
def test_the_check_finds_what_breaks_a_profile(good, name):
    kind, change, expected = BREAKS[name]
    resource = copy.deepcopy(good[kind])
    assert problems(resource) == []

    change(resource)

    found = problems(resource)
    fragments = expected if isinstance(expected, tuple) else (expected,)
    assert any(all(fragment in problem for fragment in fragments) for problem in found), found

"""Patients, referrals and contacts for the place data generator (``manage.py generate_place``).

Rows by field name (``ccc.bulk``): a field added later gets its default or stops the generator.
The locality team comes from intake's own ``locality_team_for``, asked once per practice.
"""

import uuid
from datetime import date, datetime
from functools import cache

from referrals.models import Contact, Patient, Referral
from referrals.services import locality_team_for

REFERRER_WEIGHTS = {"gp": 40, "professional": 20, "patient": 15, "carer": 10, "care_home": 5, "ward": 10}
# What the front desk's other calls come to; a transfer or call back would leave a call-back
# request on a team's list, which the generator does not make, so those outcomes are left out.
CONTACT_OUTCOMES = {
    Contact.Outcome.ADVICE_GIVEN: 40, Contact.Outcome.SIGNPOSTED: 25, Contact.Outcome.JUST_TO_TALK: 10,
    Contact.Outcome.NO_ACTION: 20, Contact.Outcome.REFERRAL_PENDING: 5,
}


class Front:
    """The practices and intake's answers about them, asked once each."""

    def __init__(self, practices: list) -> None:
        self.practices = practices
        self.team = cache(lambda practice: locality_team_for(Patient(gp_practice=practice)))

    def practice(self, number: int):
        return self.practices[number % len(self.practices)] if self.practices else None


def patient_row(*, pk: int, practice, created: datetime, born: date) -> dict:
    return {
        "id": pk, "given_name": "Generated", "family_name": f"Patient{pk}", "date_of_birth": born,
        "gp_practice": practice.pk if practice else None, "gp_practice_name": practice.name if practice else "",
        "created_at": created,
    }


def referral_row(*, front: Front, pk: int, patient_id: int, practice, need, referrer_type: str, urgency: str,
                 received: datetime, handler_id: int) -> dict:
    # As referral_create: the locality team of the patient's practice when the need asks for one.
    team, warning = front.team(practice) if need.allocate_to_locality_team else (None, "")
    return {
        "id": pk, "public_id": uuid.uuid4(), "patient": patient_id, "referrer_type": referrer_type,
        "referrer_name": "Generated referrer",
        "referring_practice": practice.pk if practice and referrer_type == "gp" else None,
        "need": need.pk, "reason": "Generated for a benchmark", "urgency": urgency, "received_at": received,
        "received_by": handler_id, "idempotency_key": f"perf-{pk}",
        "allocated_team": team.pk if team else None, "allocation_warning": warning,
    }


def contact_row(*, pk: int, started: datetime, caller_type: str, outcome: str, handler_id: int,
                patient_id: int | None = None, referral_id: int | None = None, signposted_to: str = "") -> dict:
    """One contact as contact_create records it: "referral created" exactly when it names its referral."""
    return {
        "id": pk, "caller_type": caller_type, "caller_name": "Generated caller", "patient": patient_id,
        "started_at": started, "duration_minutes": 3 + pk % 12, "reason": "Generated for a benchmark",
        "outcome": outcome, "signposted_to": signposted_to, "referral": referral_id,
        "recorded_by": handler_id, "recorded_at": started, "idempotency_key": f"perf-contact-{pk}",
    }


def referral_stub(row: dict, need) -> Referral:
    """An unsaved referral with what its clock's label and link read (its reference, need and public id)."""
    return Referral(pk=row["id"], public_id=row["public_id"], need=need)

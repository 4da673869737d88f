"""A GP practice or ward sends its own referral: a page, the API or a FHIR message.

The same intake as a call handler's referral (``referral_create``: routing, idempotency, clocks),
channel electronic; who referred comes from the sender's account, never from what they typed, so
the referral lands in their own tracking list and nobody else's.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from ccc.models import Organisation, User
from ccc.nhs_number import normalise_nhs_number, validate_nhs_number
from referrals.models import NeedCategory, Patient, Referral
from referrals.services.patients import DUPLICATE_NHS_NUMBER, patient_create
from referrals.services.referrals import referral_create

NO_PRACTICE_OR_WARD = "Your account names no GP practice or hospital ward: ask the centre to add it before you send referrals"


@dataclass(frozen=True)
class PatientDetails:
    """Who the referral is for, as the sender knows them; the NHS number finds them if recorded."""

    nhs_number: str
    given_name: str
    family_name: str
    date_of_birth: date
    postcode: str = ""
    address: str = ""


def _sender_fields(actor: User) -> dict:
    """The referrer as the referral records them: from the account, so tracking finds it."""
    if actor.organisation_id and actor.organisation.kind == Organisation.Kind.GP_PRACTICE:
        return {
            "referrer_type": Referral.ReferrerType.GP,
            "referrer_organisation": actor.organisation.name,
            "referring_practice": actor.organisation,
        }
    if actor.team_id and actor.team.organisation.kind == Organisation.Kind.ACUTE_TRUST:
        return {
            "referrer_type": Referral.ReferrerType.WARD,
            "referrer_organisation": f"{actor.team.name}, {actor.team.organisation.name}",
            "referring_ward": actor.team,
        }
    raise ValidationError(NO_PRACTICE_OR_WARD)


def _patient_for(actor: User, details: PatientDetails, practice: Organisation | None) -> Patient:
    """The recorded patient with this NHS number, or a new record; a mismatch is refused, not guessed."""
    nhs_number = normalise_nhs_number(details.nhs_number)
    if not nhs_number:
        raise ValidationError({"nhs_number": "Enter the patient's NHS number"})
    try:
        validate_nhs_number(nhs_number)
    except ValidationError as error:
        raise ValidationError({"nhs_number": error}) from None
    patient = Patient.objects.filter(nhs_number=nhs_number).first()
    if patient is None:
        try:
            with transaction.atomic():
                return patient_create(
                    actor=actor,
                    nhs_number=nhs_number,
                    given_name=details.given_name,
                    family_name=details.family_name,
                    date_of_birth=details.date_of_birth,
                    postcode=details.postcode,
                    address=details.address,
                    gp_practice=practice,
                    # The NHS number is the sender's own check that this is a different person.
                    confirmed_different=True,
                )
        except ValidationError as error:
            if DUPLICATE_NHS_NUMBER not in error.messages:
                raise
            # Someone recorded the same person a moment ago: use their record.
            patient = Patient.objects.get(nhs_number=nhs_number)
    if patient.date_of_birth != details.date_of_birth or (
        patient.family_name.strip().lower() != details.family_name.strip().lower()
    ):
        raise ValidationError(
            {
                "date_of_birth": (
                    "The NHS number belongs to a patient with a different date of birth or last name: "
                    "check the NHS number and the patient's details"
                )
            }
        )
    return patient


@transaction.atomic
def referral_send(
    *,
    actor: User,
    idempotency_key: str,
    patient_details: PatientDetails,
    need: NeedCategory,
    reason: str,
    needs_description: str = "",
    referrer_phone: str = "",
    request_fingerprint: str = "",
    received_at: datetime | None = None,
    **intake,
) -> tuple[Referral, bool]:
    """Record the sender's referral and route it, as ``referral_create`` does a call handler's.

    ``intake`` passes on any further intake fields the referral form asks for, unchanged.
    """
    sender = _sender_fields(actor)
    patient = _patient_for(actor, patient_details, sender.get("referring_practice"))
    return referral_create(
        actor=actor,
        idempotency_key=idempotency_key,
        request_fingerprint=request_fingerprint,
        patient=patient,
        need=need,
        reason=reason,
        needs_description=needs_description,
        referrer_name=actor.get_full_name() or actor.username,
        referrer_phone=referrer_phone,
        channel=Referral.Channel.ELECTRONIC,
        received_at=received_at,
        **sender,
        **intake,
    )

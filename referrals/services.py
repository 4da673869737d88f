"""Writes for patients and referrals."""

import logging
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from ccc.nhs_number import normalise_nhs_number
from referrals.models import NeedCategory, Patient, Referral, TimelineEvent
from referrals.rules import check_adult
from referrals.timeline import timeline_record
from triage import services as triage_services

logger = logging.getLogger(__name__)

DUPLICATE_NHS_NUMBER = "A patient with this NHS number is already recorded: find them instead"


def normalise_postcode(value: str) -> str:
    compact = value.replace(" ", "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def patient_create(
    *,
    created_by: User,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    nhs_number: str = "",
    address: str = "",
    postcode: str = "",
    gp_practice: str = "",
) -> Patient:
    patient = Patient(
        nhs_number=normalise_nhs_number(nhs_number),
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        address=address.strip(),
        postcode=normalise_postcode(postcode),
        gp_practice=gp_practice.strip(),
    )
    if patient.nhs_number and Patient.objects.filter(nhs_number=patient.nhs_number).exists():
        raise ValidationError({"nhs_number": DUPLICATE_NHS_NUMBER})
    try:
        with transaction.atomic():
            save_as(patient, created_by)
    except IntegrityError:
        # Two people saved the same NHS number at once: the constraint let only one in.
        raise ValidationError({"nhs_number": DUPLICATE_NHS_NUMBER}) from None
    return patient


def referral_create(
    *,
    received_by: User,
    idempotency_key: str,
    patient: Patient,
    need: NeedCategory,
    referrer_type: str,
    referrer_name: str,
    reason: str,
    referrer_organisation: str = "",
    referrer_phone: str = "",
    needs_description: str = "",
    channel: str = Referral.Channel.PHONE,
    received_at: datetime | None = None,
) -> tuple[Referral, bool]:
    """Record a referral and route it to its duty queue.

    Returns the referral and whether it was created: a repeated submission with the same
    idempotency key returns the referral the first one made.
    """
    existing = _referral_for_key(idempotency_key, received_by)
    if existing:
        return existing, False

    received_at = received_at or timezone.now()
    try:
        check_adult(patient.date_of_birth, timezone.localdate(received_at))
    except ValidationError as error:
        raise ValidationError({"patient": error}) from None
    queue, routing_summary = triage_services.route_for(need)

    referral = Referral(
        patient=patient,
        need=need,
        referrer_type=referrer_type,
        referrer_name=referrer_name.strip(),
        referrer_organisation=referrer_organisation.strip(),
        referrer_phone=referrer_phone.strip(),
        reason=reason.strip(),
        needs_description=needs_description.strip(),
        channel=channel,
        received_at=received_at,
        received_by=received_by,
        idempotency_key=idempotency_key,
    )
    try:
        with transaction.atomic():
            save_as(referral, received_by)
            timeline_record(
                referral=referral,
                kind=TimelineEvent.Kind.RECEIVED,
                summary=f"Received by {received_by} from {referral.get_referrer_type_display()} {referral.referrer_name}",
                actor=received_by,
                at=received_at,
            )
            triage_services.queue_item_create(
                referral=referral, queue=queue, routed_at=received_at, summary=routing_summary
            )
    except (IntegrityError, ValidationError):
        # The same submission arrived twice at once; the unique key let one through (seen by
        # full_clean's unique check if the winner committed first, else by the constraint).
        existing = _referral_for_key(idempotency_key, received_by)
        if existing:
            return existing, False
        raise
    return referral, True


def _referral_for_key(idempotency_key: str, received_by: User) -> Referral | None:
    existing = Referral.objects.filter(idempotency_key=idempotency_key).first()
    if existing and existing.received_by_id != received_by.pk:
        raise Conflict("This submission key was already used by someone else: start a new referral")
    return existing

"""Writes for patients and referrals."""

import logging
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import Organisation, Team, User
from ccc.nhs_number import normalise_nhs_number
from ccc.phone import normalise_phone
from ccc.postcodes import normalise_postcode, validate_postcode
from referrals.models import Contact, NeedCategory, Patient, Referral, TimelineEvent
from referrals.rules import check_adult
from referrals.selectors import contact_current, patient_probable_duplicates
from referrals.timeline import timeline_record
from triage import services as triage_services

logger = logging.getLogger(__name__)

DUPLICATE_NHS_NUMBER = "A patient with this NHS number is already recorded: find them instead"


class ProbableDuplicatePatient(ValidationError):
    """Someone with the same name, date of birth and postcode is already recorded.

    ``patients`` are the people it may be; the caller confirms "this is a different person" to go on.
    """

    def __init__(self, patients: list[Patient]):
        self.patients = patients
        super().__init__(
            {
                "confirmed_different": (
                    "A patient with the same name, date of birth and postcode is already recorded: "
                    "check it is not them, or confirm this is a different person"
                )
            }
        )


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
    confirmed_different: bool = False,
) -> Patient:
    if postcode.strip():
        try:
            validate_postcode(postcode)
        except ValidationError as error:
            raise ValidationError({"postcode": error}) from None
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
    if not confirmed_different:
        duplicates = list(
            patient_probable_duplicates(
                given_name=patient.given_name,
                family_name=patient.family_name,
                date_of_birth=date_of_birth,
                postcode=patient.postcode,
            )
        )
        if duplicates:
            raise ProbableDuplicatePatient(duplicates)
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
    referring_practice: Organisation | None = None,
    referring_ward: Team | None = None,
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
    try:
        referrer_phone = normalise_phone(referrer_phone)
    except ValidationError as error:
        raise ValidationError({"referrer_phone": error}) from None

    referral = Referral(
        patient=patient,
        need=need,
        referrer_type=referrer_type,
        referrer_name=referrer_name.strip(),
        referrer_organisation=referrer_organisation.strip(),
        referrer_phone=referrer_phone,
        referring_practice=referring_practice,
        referring_ward=referring_ward,
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
        # The same submission arrived twice at once; the unique key let one through. (Seen as a
        # ValidationError when the other one committed between our key check and full_clean.)
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


# The front desk: contacts. Append-only; every change is a new version that amends the last.

CONTACT_COPIED_FIELDS = (
    "caller_type",
    "channel",
    "caller_name",
    "caller_organisation",
    "caller_phone",
    "patient",
    "started_at",
    "duration_minutes",
    "reason",
    "outcome",
    "signposted_to",
    "referral",
)


def contact_log(
    *,
    recorded_by: User,
    idempotency_key: str,
    caller_type: str,
    caller_name: str,
    reason: str,
    outcome: str,
    channel: str = Referral.Channel.PHONE,
    caller_organisation: str = "",
    caller_phone: str = "",
    patient: Patient | None = None,
    started_at: datetime | None = None,
    duration_minutes: int = 0,
    signposted_to: str = "",
) -> tuple[Contact, bool]:
    """Record a contact. A repeated submission with the same key returns the first one's contact."""
    existing = _contact_for_key(idempotency_key, recorded_by)
    if existing:
        return existing, False
    now = timezone.now()
    contact = Contact(
        caller_type=caller_type,
        channel=channel,
        caller_name=caller_name.strip(),
        caller_organisation=caller_organisation.strip(),
        caller_phone=_phone_field(caller_phone),
        patient=patient,
        started_at=started_at or now,
        duration_minutes=duration_minutes,
        reason=reason.strip(),
        outcome=outcome,
        recorded_by=recorded_by,
        recorded_at=now,
        idempotency_key=idempotency_key,
    )
    signposting_apply(contact, signposted_to=signposted_to)
    return _contact_save(contact, idempotency_key, recorded_by)


def contact_amend(
    *, contact: Contact, amended_by: User, idempotency_key: str, amendment_reason: str, **changes
) -> tuple[Contact, bool]:
    """Correct a contact: a new version with ``changes``; the one before stays as it was.

    Only the current version can be amended: if someone amended it first, this is a Conflict.
    """
    existing = _contact_for_key(idempotency_key, amended_by)
    if existing:
        return existing, False
    unknown = set(changes) - set(CONTACT_COPIED_FIELDS)
    if unknown:
        raise TypeError(f"Contacts have no field(s) {', '.join(sorted(unknown))}")
    if not amendment_reason.strip():
        raise ValidationError({"amendment_reason": "Enter why the contact is being corrected"})
    if "caller_phone" in changes:
        changes["caller_phone"] = _phone_field(changes["caller_phone"])
    signposted_to = changes.pop("signposted_to", None)
    with transaction.atomic():
        # Lock the version being amended, so two corrections at once cannot both win.
        current = Contact.objects.select_for_update().get(pk=contact.pk)
        later = Contact.objects.filter(amends=current).select_related("recorded_by").first()
        if later:
            raise Conflict(
                f"{later.recorded_by} corrected this contact at "
                f"{timezone.localtime(later.recorded_at):%H:%M}: open the current version and correct that"
            )
        amendment = Contact(
            **{field: getattr(current, field) for field in CONTACT_COPIED_FIELDS},
            recorded_by=amended_by,
            recorded_at=timezone.now(),
            amends=current,
            original_id=current.thread_id,
            amendment_reason=amendment_reason.strip(),
            idempotency_key=idempotency_key,
        )
        for field, value in changes.items():
            setattr(amendment, field, value)
        signposting_apply(
            amendment, signposted_to=amendment.signposted_to if signposted_to is None else signposted_to
        )
        return _contact_save(amendment, idempotency_key, amended_by)


def signposting_apply(contact: Contact, *, signposted_to: str) -> None:
    """Record where a contact was signposted. The one place signposting is written.

    Free text until the directory exists; a link to a directory service goes here beside it.
    """
    signposted_to = (signposted_to or "").strip()
    if signposted_to and contact.outcome not in Contact.SIGNPOSTING_OUTCOMES:
        raise ValidationError(
            {"signposted_to": "Only a signposted or “just to talk” contact names a service: choose that outcome"}
        )
    contact.signposted_to = signposted_to


def contact_signpost(*, contact: Contact, signposted_to: str, recorded_by: User, idempotency_key: str) -> Contact:
    """Signpost the person to a service after the contact: a "just to talk" contact stays one."""
    if not (signposted_to or "").strip():
        raise ValidationError({"signposted_to": "Enter the service the person was signposted to"})
    outcome = contact.outcome if contact.outcome in Contact.SIGNPOSTING_OUTCOMES else Contact.Outcome.SIGNPOSTED
    amendment, _ = contact_amend(
        contact=contact,
        amended_by=recorded_by,
        idempotency_key=idempotency_key,
        amendment_reason=f"Signposted to {signposted_to.strip()}",
        outcome=outcome,
        signposted_to=signposted_to,
    )
    return amendment


def referral_create_from_contact(*, contact: Contact, received_by: User, idempotency_key: str, **referral_fields):
    """Raise a referral from a contact: the contact's outcome becomes "referral created", linked to it.

    Returns (referral, created, contact version). Both happen or neither does.
    """
    with transaction.atomic():
        referral, created = referral_create(received_by=received_by, idempotency_key=idempotency_key, **referral_fields)
        current = contact_current(thread_id=contact.thread_id)
        if current.referral_id == referral.pk:
            return referral, created, current  # a repeated submission: already linked
        if current.referral_id is not None:
            raise Conflict(f"This contact already raised referral {current.referral.reference}: open that one")
        linked, _ = contact_amend(
            contact=current,
            amended_by=received_by,
            idempotency_key=f"{idempotency_key[:54]}-referral",
            amendment_reason=f"Referral {referral.reference} raised from this contact",
            outcome=Contact.Outcome.REFERRAL_CREATED,
            referral=referral,
            patient=referral.patient,
            signposted_to="",
        )
    return referral, created, linked


def _phone_field(value: str) -> str:
    try:
        return normalise_phone(value)
    except ValidationError as error:
        raise ValidationError({"caller_phone": error}) from None


def _contact_save(contact: Contact, idempotency_key: str, recorded_by: User) -> tuple[Contact, bool]:
    try:
        with transaction.atomic():
            save_as(contact, recorded_by)
    except ValidationError:
        # The other submission committed between our key check and full_clean's unique check.
        existing = _contact_for_key(idempotency_key, recorded_by)
        if existing:
            return existing, False
        raise
    except IntegrityError:
        # The same submission arrived twice at once, or someone amended the same version first.
        existing = _contact_for_key(idempotency_key, recorded_by)
        if existing:
            return existing, False
        raise Conflict("Someone corrected this contact at the same moment: open the current version") from None
    return contact, True


def _contact_for_key(idempotency_key: str, recorded_by: User) -> Contact | None:
    existing = Contact.objects.filter(idempotency_key=idempotency_key).first()
    if existing and existing.recorded_by_id != recorded_by.pk:
        raise Conflict("This submission key was already used by someone else: start a new contact")
    return existing

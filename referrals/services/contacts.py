"""The front desk's contacts. Append-only; every change is a new version that amends the last."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.idempotency import submitted_before
from ccc.models import Team, User
from ccc.phone import normalise_phone
from referrals.models import CallBackRequest, Contact, Patient, Referral
from referrals.selectors import contact_current
from referrals.services.call_backs import call_back_request_create
from referrals.services.referrals import referral_create

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

# The call-back request's fields, named with a call_back_ prefix beside a contact's own.
CALL_BACK_FIELDS = frozenset({"team", "clinician", "urgency"})


def contact_log(
    *,
    actor: User,
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
    call_back_team: Team | None = None,
    call_back_clinician: User | None = None,
    call_back_urgency: str = CallBackRequest.Urgency.SOON,
) -> tuple[Contact, bool]:
    """Record a contact. A repeated submission with the same key returns the first one's contact.

    A contact that is to become a referral is "referral pending" until the referral is raised
    from it (``referral_create_from_contact``): asked for "referral created" here, it is pending.
    """
    existing = _contact_for_key(idempotency_key, actor)
    if existing:
        return existing, False
    if outcome == Contact.Outcome.REFERRAL_CREATED:
        outcome = Contact.Outcome.REFERRAL_PENDING
    if call_back_team is not None and outcome not in Contact.CALL_BACK_OUTCOMES:
        raise ValidationError({"call_back_team": "Only a transferred or call-back contact names a team to call back"})
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
        recorded_by=actor,
        recorded_at=now,
        idempotency_key=idempotency_key,
    )
    signposting_apply(contact, signposted_to=signposted_to)
    if outcome not in Contact.CALL_BACK_OUTCOMES:
        return _contact_save(contact, idempotency_key, actor)
    # Transferred or to be called back: the contact and the request on the team's list, or neither.
    with transaction.atomic():
        contact, created = _contact_save(contact, idempotency_key, actor)
        if created:
            kind = CallBackRequest.Kind.TRANSFER if outcome == Contact.Outcome.TRANSFERRED else CallBackRequest.Kind.CALL_BACK
            try:
                call_back_request_create(
                    actor=actor, idempotency_key=f"{idempotency_key[:54]}-call-back", team=call_back_team, kind=kind,
                    clinician=call_back_clinician, urgency=call_back_urgency, caller_name=contact.caller_name,
                    caller_phone=contact.caller_phone, reason=contact.reason, patient=patient, contact=contact,
                )
            except ValidationError as error:
                # Named as the contact form names them.
                raise ValidationError(
                    {f"call_back_{name}" if name in CALL_BACK_FIELDS else name: e for name, e in error.message_dict.items()}
                ) from None
    return contact, created


def contact_amend(
    *, contact: Contact, actor: User, idempotency_key: str, amendment_reason: str, **changes
) -> tuple[Contact, bool]:
    """Correct a contact: a new version with ``changes``; the one before stays as it was.

    Only the current version can be amended: if someone amended it first, this is a Conflict.
    """
    existing = _contact_for_key(idempotency_key, actor)
    if existing:
        return existing, False
    unknown = set(changes) - set(CONTACT_COPIED_FIELDS)
    if unknown:
        raise TypeError(f"Contacts have no field(s) {', '.join(sorted(unknown))}")
    if not amendment_reason.strip():
        raise ValidationError({"amendment_reason": "Enter why the contact is being corrected"})
    if changes.get("outcome") in Contact.CALL_BACK_OUTCOMES and changes["outcome"] != contact.outcome:
        # A correction makes no call-back request: it would be a transfer nobody is waiting for.
        raise ValidationError(
            {"outcome": "Log a new contact to ask for a call back or record a transfer, so it goes on the team's list"}
        )
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
            recorded_by=actor,
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
        saved, created = _contact_save(amendment, idempotency_key, actor)
        if created:
            # The version amended is no longer current (under the lock taken above).
            Contact.objects.filter(pk=current.pk).update(is_current=False)
        return saved, created


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


def contact_signpost(*, contact: Contact, signposted_to: str, actor: User, idempotency_key: str) -> Contact:
    """Signpost the person to a service after the contact: a "just to talk" contact stays one."""
    if not (signposted_to or "").strip():
        raise ValidationError({"signposted_to": "Enter the service the person was signposted to"})
    outcome = contact.outcome if contact.outcome in Contact.SIGNPOSTING_OUTCOMES else Contact.Outcome.SIGNPOSTED
    amendment, _ = contact_amend(
        contact=contact,
        actor=actor,
        idempotency_key=idempotency_key,
        amendment_reason=f"Signposted to {signposted_to.strip()}",
        outcome=outcome,
        signposted_to=signposted_to,
    )
    return amendment


def referral_create_from_contact(*, contact: Contact, actor: User, idempotency_key: str, **referral_fields):
    """Raise a referral from a contact: the contact's outcome becomes "referral created", linked to it.

    Returns (referral, created, contact version). Both happen or neither does.
    """
    with transaction.atomic():
        referral, created = referral_create(actor=actor, idempotency_key=idempotency_key, **referral_fields)
        current = contact_current(thread_id=contact.thread_id)
        if current.referral_id == referral.pk:
            return referral, created, current  # a repeated submission: already linked
        if current.referral_id is not None:
            raise Conflict(f"This contact already raised referral {current.referral.reference}: open that one")
        linked, _ = contact_amend(
            contact=current,
            actor=actor,
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


def _contact_save(contact: Contact, idempotency_key: str, actor: User) -> tuple[Contact, bool]:
    try:
        with transaction.atomic():
            save_as(contact, actor)
    except ValidationError:
        # The other submission committed between our key check and full_clean's unique check.
        existing = _contact_for_key(idempotency_key, actor)
        if existing:
            return existing, False
        raise
    except IntegrityError:
        # The same submission arrived twice at once, or someone amended the same version first.
        existing = _contact_for_key(idempotency_key, actor)
        if existing:
            return existing, False
        raise Conflict("Someone corrected this contact at the same moment: open the current version") from None
    return contact, True


def _contact_for_key(idempotency_key: str, actor: User) -> Contact | None:
    return submitted_before(Contact, key=idempotency_key, actor=actor, actor_field="recorded_by", noun="contact")

"""Writes for patients and referrals."""

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.idempotency import submitted_before
from ccc.models import Organisation, Team, User
from ccc.nhs_number import normalise_nhs_number
from ccc.phone import normalise_phone
from ccc.postcodes import normalise_postcode, validate_postcode
from escalations import services as escalation_services
from referrals.models import (
    CommunityNursingSettings,
    Contact,
    FollowUpCall,
    FollowUpPolicy,
    NeedCategory,
    Patient,
    PracticeLocality,
    Referral,
    TimelineEvent,
    TransportBooking,
)
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
    gp_practice: Organisation | None = None,
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
        gp_practice=gp_practice,
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
    queue, routing_summary = triage_services.route_for(need, at=received_at)
    allocated_team, allocation_warning = (
        locality_team_for(patient) if need.allocate_to_locality_team else (None, "")
    )
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
        allocated_team=allocated_team,
        allocation_warning=allocation_warning,
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
    return submitted_before(Referral, key=idempotency_key, actor=received_by, actor_field="received_by", noun="referral")


# Community nursing single point of access ----------------------------------------------------


def locality_team_for(patient: Patient) -> tuple[Team, str]:
    """The locality community nursing team for ``patient``'s registered practice, and a warning if
    it had to be the default team instead."""
    if patient.gp_practice_id:
        locality = PracticeLocality.objects.select_related("team").filter(practice_id=patient.gp_practice_id).first()
        if locality is not None:
            return locality.team, ""
        warning = f"{patient.gp_practice} has no locality team on record"
    else:
        warning = "The patient has no registered GP practice on record"
    settings_row = CommunityNursingSettings.objects.select_related("default_team").first()
    if settings_row is None:
        raise ValidationError(
            {"need": f"{warning} and no default community nursing team is set: ask an administrator"}
        )
    return settings_row.default_team, f"{warning}: allocated to the default team, {settings_row.default_team}"


# Follow-up calls after discharge ------------------------------------------------------------

# Escalation clock kinds: a call waiting to be made, a transport request waiting to be booked.
FOLLOW_UP_CALL_CLOCK = "follow_up_call"
TRANSPORT_CLOCK = "transport_booking"
# A request still unconfirmed this long before pick-up leaves time to chase the provider or
# arrange something else; at the pick-up time itself the patient has already been let down.
TRANSPORT_CONFIRM_BEFORE_PICKUP = timedelta(hours=2)


def _clock_start(subject, kind: str, *, due_at: datetime, started_at: datetime, label: str, url: str,
                 actor: User | None) -> None:
    """The front desk's clocks: on the default ladder, since calls and transport sit in no duty queue."""
    escalation_services.clock_start(
        subject=subject, kind=kind, due_at=due_at, started_at=started_at, label=label, url=url, actor=actor
    )


def _call_clock_start(call: FollowUpCall, actor: User | None) -> None:
    _clock_start(
        call, FOLLOW_UP_CALL_CLOCK, due_at=call.due_at, started_at=call.scheduled_at, actor=actor,
        label=f"Follow-up call to {call.patient}" + (f" (attempt {call.attempt})" if call.attempt > 1 else ""),
        url=reverse("referrals:follow_up_call_detail", args=[call.public_id]),
    )


def _call_due_at(day: date, policy: FollowUpPolicy) -> datetime:
    # UK wall-clock time on that day: 10:00 is 10:00 whichever side of a clock change it falls.
    return timezone.make_aware(datetime.combine(day, policy.call_time))


def follow_up_calls_schedule(
    *, patient: Patient, discharged_on: date, reason: str, actor: User | None, days: Sequence[int] | None = None
) -> list[FollowUpCall]:
    """Schedule follow-up calls for a discharge with a high risk of readmission.

    One call per day after discharge (the policy's days unless ``days`` is given). Idempotent:
    scheduling the same discharge again returns the calls already made and makes none twice.
    """
    policy = FollowUpPolicy.current()
    wanted = sorted(set(days)) if days is not None else policy.days
    if not wanted or any(day < 1 for day in wanted):
        raise ValidationError({"days": "Give one or more days after discharge, from 1"})
    now = timezone.now()
    calls = []
    with transaction.atomic():
        for day in wanted:
            key = f"discharge:{patient.pk}:{discharged_on.isoformat()}:day{day}"
            call = FollowUpCall(
                patient=patient,
                reason=reason.strip(),
                discharged_on=discharged_on,
                day_after_discharge=day,
                due_at=_call_due_at(discharged_on + timedelta(days=day), policy),
                scheduled_by=actor,
                scheduled_at=now,
                schedule_key=key,
            )
            calls.append(_save_once(call, actor))
    return calls


def follow_up_call_schedule(
    *, patient: Patient, due_at: datetime, reason: str, actor: User, idempotency_key: str
) -> tuple[FollowUpCall, bool]:
    """A call handler schedules one call by hand. A repeated submission returns the first call."""
    existing = FollowUpCall.objects.filter(schedule_key=f"manual:{idempotency_key}").first()
    if existing:
        return existing, False
    if due_at < timezone.now() - timedelta(minutes=5):
        raise ValidationError({"due_at": "Enter a time from now on"})
    call = FollowUpCall(
        patient=patient,
        reason=reason.strip(),
        due_at=due_at,
        scheduled_by=actor,
        scheduled_at=timezone.now(),
        schedule_key=f"manual:{idempotency_key}",
    )
    saved = _save_once(call, actor)
    return saved, saved.pk == call.pk


def _save_once(call: FollowUpCall, actor: User | None) -> FollowUpCall:
    """Save ``call`` unless a call with its schedule key exists (or is being saved at this moment)."""
    existing = FollowUpCall.objects.filter(schedule_key=call.schedule_key).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            save_as(call, actor)
            _call_clock_start(call, actor)  # only for a call made now: an old one's clock may be answered
    except (IntegrityError, ValidationError):
        # Scheduled at this same moment by another request: return the call that one made.
        existing = FollowUpCall.objects.filter(schedule_key=call.schedule_key).first()
        if existing is None:
            raise
        return existing
    return call


def follow_up_call_record_outcome(
    *, call: FollowUpCall, actor: User, status: str, note: str = ""
) -> FollowUpCall:
    """Record how a call went. Of two handlers recording at once, one wins; the other is told who.

    No answer schedules a retry, up to the policy's number of attempts.
    """
    with transaction.atomic():
        locked = (
            FollowUpCall.objects.select_for_update(of=("self",)).select_related("patient", "outcome_by").get(pk=call.pk)
        )
        if locked.status == status and locked.outcome_by_id == actor.pk:
            return locked  # a double click: already recorded, by you
        if status not in FollowUpCall.TRANSITIONS.get(locked.status, frozenset()):
            if locked.status != FollowUpCall.Status.DUE:
                when = date_format(timezone.localtime(locked.outcome_at), "j M H:i") if locked.outcome_at else ""
                raise Conflict(
                    f"This call was already recorded as “{locked.get_status_display()}” by {locked.outcome_by} at {when}"
                )
            raise ValidationError({"status": "Choose how the call went"})
        if status == FollowUpCall.Status.ANSWERED_CONCERNS and not note.strip():
            raise ValidationError({"note": "Enter the concerns the patient raised"})
        now = timezone.now()
        locked.status = status
        locked.outcome_note = note.strip()
        locked.outcome_by = actor
        locked.outcome_at = now
        save_as(locked, actor)
        escalation_services.clock_stop(
            subject=locked, kind=FOLLOW_UP_CALL_CLOCK, actor=actor, reason=f"call recorded: {locked.get_status_display()}"
        )
        policy = FollowUpPolicy.current()
        if status == FollowUpCall.Status.NO_ANSWER and locked.attempt < policy.max_attempts:
            retry = FollowUpCall(
                patient=locked.patient,
                reason=locked.reason,
                discharged_on=locked.discharged_on,
                day_after_discharge=locked.day_after_discharge,
                due_at=now + timedelta(minutes=policy.retry_after_minutes),
                attempt=locked.attempt + 1,
                retry_of=locked,
                scheduled_by=actor,
                scheduled_at=now,
                schedule_key=f"{locked.schedule_key}:attempt{locked.attempt + 1}",
            )
            save_as(retry, actor)
            _call_clock_start(retry, actor)
    return locked


# Patient transport ----------------------------------------------------------------------


def transport_booking_create(
    *,
    requested_by: User,
    idempotency_key: str,
    patient: Patient,
    pickup_from: str,
    destination: str,
    pickup_at: datetime,
    mobility: str,
    escort_needed: bool = False,
    notes: str = "",
) -> tuple[TransportBooking, bool]:
    """Request transport for a patient. A repeated submission returns the first booking."""
    existing = _booking_for_key(idempotency_key, requested_by)
    if existing:
        return existing, False
    if pickup_at < timezone.now() - timedelta(minutes=5):
        raise ValidationError({"pickup_at": "Enter a pick-up time from now on"})
    now = timezone.now()
    booking = TransportBooking(
        patient=patient,
        pickup_from=pickup_from.strip(),
        destination=destination.strip(),
        pickup_at=pickup_at,
        mobility=mobility,
        escort_needed=escort_needed,
        notes=notes.strip(),
        requested_by=requested_by,
        requested_at=now,
        status_changed_by=requested_by,
        status_changed_at=now,
        idempotency_key=idempotency_key,
    )
    if booking.pickup_from and booking.pickup_from.lower() == booking.destination.lower():
        raise ValidationError({"destination": "Enter a destination different from the pick-up address"})
    try:
        with transaction.atomic():
            save_as(booking, requested_by)
            _clock_start(
                booking, TRANSPORT_CLOCK, due_at=transport_confirm_by(booking), started_at=now, actor=requested_by,
                label=f"Transport for {patient} to be booked",
                url=reverse("referrals:transport_detail", args=[booking.public_id]),
            )
    except (IntegrityError, ValidationError):
        # The same submission arrived twice at once: the unique key let one through.
        existing = _booking_for_key(idempotency_key, requested_by)
        if existing is None:
            raise
        return existing, False
    return booking, True


def _booking_for_key(idempotency_key: str, requested_by: User) -> TransportBooking | None:
    return submitted_before(
        TransportBooking, key=idempotency_key, actor=requested_by, actor_field="requested_by", noun="booking"
    )


def transport_confirm_by(booking: TransportBooking) -> datetime:
    """When a request should be booked by: two hours before pick-up, or the pick-up time when
    the request itself came later than that."""
    confirm_by = booking.pickup_at - TRANSPORT_CONFIRM_BEFORE_PICKUP
    return confirm_by if confirm_by > booking.requested_at else booking.pickup_at


def _transport_move(booking: TransportBooking, actor: User, to: str, cancel_reason: str = "") -> TransportBooking:
    with transaction.atomic():
        locked = TransportBooking.objects.select_for_update().get(pk=booking.pk)
        if locked.status == to and locked.status_changed_by_id == actor.pk:
            return locked  # a double click: already done, by you
        if to not in TransportBooking.TRANSITIONS.get(locked.status, frozenset()):
            raise Conflict(
                f"This booking is {locked.get_status_display().lower()}: it cannot be marked "
                f"{TransportBooking.Status(to).label.lower()} (changed by {locked.status_changed_by} at "
                f"{date_format(timezone.localtime(locked.status_changed_at), 'j M H:i')})"
            )
        locked.status = to
        locked.cancel_reason = cancel_reason.strip()
        locked.status_changed_by = actor
        locked.status_changed_at = timezone.now()
        save_as(locked, actor)
        if to in (TransportBooking.Status.BOOKED, TransportBooking.Status.CANCELLED):
            escalation_services.clock_stop(
                subject=locked, kind=TRANSPORT_CLOCK, actor=actor, reason=locked.get_status_display().lower()
            )
    return locked


def transport_booking_book(*, booking: TransportBooking, actor: User) -> TransportBooking:
    """The transport provider has confirmed the booking."""
    return _transport_move(booking, actor, TransportBooking.Status.BOOKED)


def transport_booking_complete(*, booking: TransportBooking, actor: User) -> TransportBooking:
    return _transport_move(booking, actor, TransportBooking.Status.COMPLETED)


def transport_booking_cancel(*, booking: TransportBooking, actor: User, reason: str) -> TransportBooking:
    if not reason.strip():
        raise ValidationError({"cancel_reason": "Enter why the transport is cancelled"})
    return _transport_move(booking, actor, TransportBooking.Status.CANCELLED, cancel_reason=reason)


def transport_booking_move(*, booking: TransportBooking, actor: User, to: str, cancel_reason: str = "") -> TransportBooking:
    """The transition service for ``to``, for forms and the API that take the new status as data."""
    if to == TransportBooking.Status.CANCELLED:
        return transport_booking_cancel(booking=booking, actor=actor, reason=cancel_reason)
    moves = {TransportBooking.Status.BOOKED: transport_booking_book, TransportBooking.Status.COMPLETED: transport_booking_complete}
    if to not in moves:
        raise ValidationError({"status": "Choose booked, completed or cancelled"})
    return moves[to](booking=booking, actor=actor)


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
    return submitted_before(Contact, key=idempotency_key, actor=recorded_by, actor_field="recorded_by", noun="contact")

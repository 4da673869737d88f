"""The hospital's admissions feed: each ADT message applied once (by its control id) to the list
of current inpatients, a discharge recorded on the register through the discharge service, and a
message whose NHS number names someone else held for a person, never applied silently."""

import uuid
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from discharge.hl7_feed import HANDLED_EVENTS, AdtMessage, Unreadable, ack_for, adt_read
from discharge.models import FeedMessage, Inpatient, RegisterEntry, Ward
from discharge.services.discharge import entry_discharge
from referrals.models import Patient


@dataclass
class Answer:
    code: str  # AA, AE or AR
    text: str
    ack: str  # the whole ACK message


class Held(Exception):
    """The message names a patient we know otherwise: a person must look before it is applied."""


def _same_person(known_family: str, known_given: str, known_born, message: AdtMessage) -> bool:
    return (
        known_family.strip().lower() == message.family_name.lower()
        and known_given.strip().lower() == message.given_name.lower()
        and (known_born is None or message.date_of_birth is None or known_born == message.date_of_birth)
    )


def _identity_check(message: AdtMessage) -> None:
    """Hold the message if its NHS number is one we know with a different name or date of birth."""
    patient = Patient.objects.filter(nhs_number=message.nhs_number).first()
    if patient and not _same_person(patient.family_name, patient.given_name, patient.date_of_birth, message):
        raise Held(
            f"NHS number {message.nhs_number} is {patient.given_name} {patient.family_name} "
            f"(born {patient.date_of_birth:%-d %B %Y}) here, but the message names {message.given_name} "
            f"{message.family_name} (born {message.date_of_birth:%-d %B %Y})"
            if patient.date_of_birth and message.date_of_birth
            else f"NHS number {message.nhs_number} is {patient.given_name} {patient.family_name} here, "
            f"but the message names {message.given_name} {message.family_name}"
        )


def _stay(message: AdtMessage, move: str) -> Inpatient:
    stay = Inpatient.objects.select_for_update().filter(visit_number=message.visit_number).first()
    if stay is None:
        raise ValidationError(f"No inpatient with visit number {message.visit_number}")
    stay.status = Inpatient.TRANSITIONS.move(
        move, stay.status, f"Visit {message.visit_number} is {stay.get_status_display().lower()}: cannot {move.replace('_', ' ')}"
    )
    return stay


def _ward(message: AdtMessage) -> Ward:
    ward = Ward.objects.filter(code=message.ward_code, is_active=True).first()
    if ward is None:
        raise ValidationError(f"Unknown ward “{message.ward_code}” (PV1-3)")
    return ward


def _apply(message: AdtMessage, actor: User) -> str:
    """What the message does; ValidationError or Conflict if it cannot be done (answered AE)."""
    if not message.visit_number:
        raise ValidationError("PV1-19 (visit number) is missing")
    if message.event == "A01":
        if len(message.nhs_number) != 10 or not message.nhs_number.isdigit():
            raise ValidationError("PID-3 has no NHS number (an identifier of type NH with 10 digits)")
        if message.admitted_on is None:
            raise ValidationError("PV1-44 (admission date) is missing")
        stay = Inpatient(
            visit_number=message.visit_number, nhs_number=message.nhs_number, given_name=message.given_name,
            family_name=message.family_name, date_of_birth=message.date_of_birth, ward=_ward(message),
            admitted_on=message.admitted_on,
        )
        try:
            with transaction.atomic():
                save_as(stay, actor)
        except (IntegrityError, ValidationError):
            raise ValidationError(f"Visit {message.visit_number} was already admitted") from None
        return f"Admitted to {stay.ward}"
    if message.event == "A02":
        stay = _stay(message, "transfer")
        stay.ward = _ward(message)
        save_as(stay, actor)
        return f"Moved to {stay.ward}"
    if message.event == "A03":
        stay = _stay(message, "discharge")
        stay.discharged_on = message.discharged_on or timezone.localdate()
        save_as(stay, actor)
        return _discharge_on_register(stay, actor)
    if message.event == "A08":
        stay = _stay(message, "update")
        stay.given_name, stay.family_name = message.given_name, message.family_name
        stay.date_of_birth = message.date_of_birth
        save_as(stay, actor)
        return "Details updated"
    if message.event == "A11":
        stay = _stay(message, "cancel_admission")
        save_as(stay, actor)
        return "Admission cancelled"
    stay = _stay(message, "cancel_discharge")  # A13
    if RegisterEntry.objects.filter(patient__nhs_number=stay.nhs_number, status="discharged",
                                    discharged_on=stay.discharged_on).exists():
        raise ValidationError("The discharge is recorded on the Transfer of Care register: ask the team to correct it")
    stay.discharged_on = None
    save_as(stay, actor)
    return "Discharge cancelled: back in hospital"


def _discharge_on_register(stay: Inpatient, actor: User) -> str:
    """A patient on the register leaves: the discharge service records it, on the pathway planned."""
    entry = RegisterEntry.objects.filter(patient__nhs_number=stay.nhs_number, status=RegisterEntry.Status.OPEN).first()
    if entry is None:
        return "Discharged (not on the Transfer of Care register)"
    entry_discharge(
        entry=entry, actor=actor, discharged_on=stay.discharged_on, destination="Discharged (hospital feed)",
        pathway_used=entry.pathway if entry.pathway is not None else 0, readmission_risk="",
    )
    return "Discharged, and recorded on the Transfer of Care register"


def _answer(raw: str, code: str, text: str) -> Answer:
    return Answer(code, text, ack_for(raw, code, text, ack_id=uuid.uuid4().hex[:20]))


def feed_message_receive(*, raw: str, actor: User) -> Answer:
    """One message from the listener: read it, apply it once, and answer AA (applied, held for a
    person, or already processed), AE (could not be applied: why) or AR (not a message we take)."""
    try:
        message = adt_read(raw)
    except Unreadable as error:
        return _answer(raw, "AR", str(error))
    if message.event not in HANDLED_EVENTS:
        return _answer(raw, "AR", f"Event {message.event or 'none'} is not taken (only {', '.join(sorted(HANDLED_EVENTS))})")
    seen = FeedMessage.objects.filter(control_id=message.control_id).first()
    if seen:
        return _answer(raw, seen.ack_code, f"Already processed: {seen.reason}")
    record = FeedMessage(
        control_id=message.control_id, event=message.event, raw=raw, received_at=timezone.now(),
        status=FeedMessage.Status.ERROR, ack_code="AE",
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                save_as(record, actor)  # claims the control id: the same message sent twice at once waits here
        except (IntegrityError, ValidationError):
            return _answer(raw, "AA", "Already processed")
        try:
            with transaction.atomic():  # what the message does: all of it, or none if it cannot be done
                if message.nhs_number:
                    _identity_check(message)
                record.reason = _apply(message, actor)
            record.status, record.ack_code = FeedMessage.Status.APPLIED, "AA"
        except Held as held:
            record.reason, record.status, record.ack_code = f"Held: {held}", FeedMessage.Status.HELD, "AA"
        except (ValidationError, Conflict) as error:
            record.reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        save_as(record, actor)
    return _answer(raw, record.ack_code, record.reason)


def feed_message_resolve(*, message: FeedMessage, actor: User, accept: bool) -> FeedMessage:
    """A person looked at a held message: accepted, it is applied as it stands (the feed's details
    for this stay); rejected, it is never applied."""
    with transaction.atomic():
        locked = FeedMessage.objects.select_for_update().get(pk=message.pk)
        locked.status = FeedMessage.TRANSITIONS.move(
            "accept" if accept else "reject", locked.status, "This message has already been resolved"
        )
        if accept:
            try:
                outcome = _apply(adt_read(locked.raw), actor)
            except Unreadable as error:
                raise ValidationError(str(error)) from None
            locked.reason = f"{locked.reason} Accepted: {outcome}."
        locked.resolved_by, locked.resolved_at = actor, timezone.now()
        save_as(locked, actor)
    return locked

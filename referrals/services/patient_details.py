"""Recording how to reach a patient, the people around them, their communication needs and the
safety alerts staff must see: each row kept with its history, ended rather than deleted."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccc.audit import save_as, update_as
from ccc.exceptions import Conflict
from ccc.models import User
from ccc.phone import normalise_phone
from referrals.models import Patient, PatientPhone, PatientSupportPerson, SafetyAlert


def _phone(value: str, field: str) -> str:
    try:
        return normalise_phone(value)
    except ValidationError as error:
        raise ValidationError({field: error}) from None


@transaction.atomic
def patient_details_update(
    *,
    actor: User,
    patient: Patient,
    preferred_language: str = "",
    interpreter_needed: bool = False,
    communication_needs: list[str] | None = None,
    communication_notes: str = "",
    is_carer: bool = False,
) -> Patient:
    """Language, interpreter, Accessible Information Standard needs, and whether the patient cares for someone."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    patient.preferred_language = preferred_language.strip()
    patient.interpreter_needed = interpreter_needed
    patient.communication_needs = sorted(set(communication_needs or []))
    patient.communication_notes = communication_notes.strip()
    patient.is_carer = is_carer
    if patient.interpreter_needed and not patient.preferred_language:
        raise ValidationError({"preferred_language": "Say which language the interpreter is for"})
    save_as(patient, actor)
    return patient


@transaction.atomic
def patient_phone_add(
    *, actor: User, patient: Patient, number: str, kind: str = PatientPhone.Kind.MOBILE, call_first: bool = False,
    note: str = "",
) -> PatientPhone:
    """Add a number; the first number, or one marked "call first", becomes the one to dial first."""
    Patient.objects.select_for_update().get(pk=patient.pk)  # one change to a patient's numbers at a time
    phones = PatientPhone.objects.active().filter(patient=patient)
    normalised = _phone(number, "number")
    if not normalised:
        raise ValidationError({"number": "Enter a phone number"})
    if phones.filter(number=normalised).exists():
        raise ValidationError({"number": "This number is already recorded for the patient"})
    call_first = call_first or not phones.exists()
    if call_first:
        update_as(phones.filter(call_first=True), actor, call_first=False)
    phone = PatientPhone(patient=patient, number=normalised, kind=kind, call_first=call_first, note=note.strip())
    try:
        with transaction.atomic():
            save_as(phone, actor)
    except IntegrityError:
        raise Conflict("Someone else changed this patient's numbers at the same time: look again") from None
    return phone


@transaction.atomic
def patient_phone_end(*, actor: User, phone: PatientPhone) -> PatientPhone:
    """Stop using a number (kept in the history); the next number becomes the one to call first."""
    Patient.objects.select_for_update().get(pk=phone.patient_id)
    phone = PatientPhone.objects.get(pk=phone.pk)
    if phone.ended_at:
        raise Conflict("This number was already removed")
    was_first = phone.call_first
    phone.ended_at = timezone.now()
    phone.call_first = False
    save_as(phone, actor)
    if was_first:
        following = PatientPhone.objects.active().filter(patient_id=phone.patient_id).order_by("pk")[:1]
        update_as(PatientPhone.objects.filter(pk__in=list(following.values_list("pk", flat=True))), actor, call_first=True)
    return phone


@transaction.atomic
def patient_support_person_add(
    *, actor: User, patient: Patient, name: str, relationship: str = "", phone: str = "", address: str = "",
    is_next_of_kin: bool = False, is_carer: bool = False,
) -> PatientSupportPerson:
    """Record next of kin or a carer (or both) with how to reach them."""
    if not (is_next_of_kin or is_carer):
        raise ValidationError({"is_next_of_kin": "Say whether they are next of kin, a carer, or both"})
    person = PatientSupportPerson(
        patient=patient, name=name.strip(), relationship=relationship.strip(), phone=_phone(phone, "phone"),
        address=address.strip(), is_next_of_kin=is_next_of_kin, is_carer=is_carer,
    )
    save_as(person, actor)
    return person


@transaction.atomic
def patient_support_person_end(*, actor: User, person: PatientSupportPerson) -> PatientSupportPerson:
    person = PatientSupportPerson.objects.select_for_update().get(pk=person.pk)
    if person.ended_at:
        raise Conflict(f"{person.name} was already removed")
    person.ended_at = timezone.now()
    save_as(person, actor)
    return person


@transaction.atomic
def safety_alert_raise(*, actor: User, patient: Patient, category: str, detail: str, review_on: date) -> SafetyAlert:
    """Raise an alert every page where work happens shows; it needs a review date in the future."""
    if review_on and review_on <= timezone.localdate():
        raise ValidationError({"review_on": "The review date must be after today"})
    if review_on and (review_on - timezone.localdate()).days > 366:
        raise ValidationError({"review_on": "Review an alert at least once a year: choose a date within 12 months"})
    alert = SafetyAlert(
        patient=patient, category=category, detail=detail.strip(), review_on=review_on, raised_by=actor,
        raised_at=timezone.now(),
    )
    save_as(alert, actor)
    return alert


@transaction.atomic
def safety_alert_end(*, actor: User, alert: SafetyAlert, reason: str) -> SafetyAlert:
    """End an alert that no longer applies: it stays on record with who ended it and why."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the alert no longer applies"})
    alert = SafetyAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.ended_at:
        raise Conflict(f"This alert was already ended by {alert.ended_by.get_full_name() or alert.ended_by}")
    alert.ended_at = timezone.now()
    alert.ended_by = actor
    alert.end_reason = reason.strip()
    save_as(alert, actor)
    return alert

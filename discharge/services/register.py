"""The register: putting an inpatient on it, updating who owns them and when they were declared
fit, and the escalation clock that runs until they have a discharge plan."""

from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ccc.audit import save_as
from ccc.idempotency import submitted_before
from ccc.models import User
from ccc.nhs_number import normalise_nhs_number
from ccc.permissions import Action, can
from discharge.models import RegisterEntry, TransferOfCareSettings, Ward
from escalations import services as escalation_services
from referrals import services as referral_services
from referrals.models import Patient


def patient_for_register(
    *, actor: User, nhs_number: str, given_name: str, family_name: str, date_of_birth: date | None,
    confirmed_same_person: bool = False,
) -> Patient:
    """The patient with this NHS number if the CCC already knows them; otherwise a new patient.
    The number is checked here, so the page and the API refuse the same numbers; a known number
    with another name or date of birth stops (PatientIdentityMismatch) until the user confirms."""
    nhs_number = normalise_nhs_number(nhs_number)
    known = referral_services.patient_known_by_number(
        nhs_number=nhs_number, given_name=given_name, family_name=family_name, date_of_birth=date_of_birth,
        confirmed_same_person=confirmed_same_person,
    )
    if known:
        return known
    return referral_services.patient_create(
        actor=actor,
        nhs_number=nhs_number,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
    )


def owner_check(owner: User | None) -> None:
    """The owner of a register entry is someone who works the register (a Transfer of Care team
    member): the permission module decides who that is."""
    if owner is not None and not can(owner, Action.TOC_WORK):
        raise ValidationError({"owner": f"{owner.get_full_name() or owner} is not in the Transfer of Care team"})


def plan_due_at(fit_on: date | None) -> datetime | None:
    """When a discharge plan is due: the target after the start of the (London) day the patient
    was declared fit, in real hours: added in UTC, since Python adds wall-clock time to a London
    datetime and a clock change in between would give an hour too many or too few."""
    if fit_on is None:
        return None
    return _fit_day_start(fit_on) + timedelta(hours=TransferOfCareSettings.current().plan_target_hours)


def _fit_day_start(fit_on: date) -> datetime:
    return timezone.make_aware(datetime.combine(fit_on, time.min)).astimezone(UTC)


def entry_register(
    *,
    actor: User,
    idempotency_key: str,
    ward: Ward,
    admitted_on: date,
    consultant: str,
    source: str,
    referred_on: date,
    fit_on: date | None = None,
    owner: User | None = None,
    next_action: str = "",
    next_action_due: date | None = None,
    patient: Patient | None = None,
    nhs_number: str = "",
    given_name: str = "",
    family_name: str = "",
    date_of_birth: date | None = None,
    request_fingerprint: str = "",
    confirmed_same_person: bool = False,
) -> tuple[RegisterEntry, bool]:
    """Put an inpatient on the register: ``patient`` if given, else the patient the CCC knows by
    this NHS number, else a new patient from the details. Starts the plan clock if the patient is
    already declared fit. A repeated submission returns the entry the first made, and makes no
    patient (over the API, only for the same body: ``request_fingerprint``). The one registration
    the page and the API both call."""
    existing = _entry_for_key(idempotency_key, actor, request_fingerprint)
    if existing:
        return existing, False
    today = timezone.localdate()
    for field, value in (("admitted_on", admitted_on), ("referred_on", referred_on), ("fit_on", fit_on)):
        if value and value > today:
            raise ValidationError({field: "This date cannot be in the future"})
    owner_check(owner)
    try:
        with transaction.atomic():
            if patient is None:
                patient = patient_for_register(
                    actor=actor, nhs_number=nhs_number, given_name=given_name, family_name=family_name,
                    date_of_birth=date_of_birth, confirmed_same_person=confirmed_same_person,
                )
            entry = RegisterEntry(
                patient=patient,
                ward=ward,
                admitted_on=admitted_on,
                consultant=consultant.strip(),
                source=source,
                referred_on=referred_on,
                fit_on=fit_on,
                owner=owner,
                next_action=next_action.strip(),
                next_action_due=next_action_due,
                plan_due_at=plan_due_at(fit_on),
                registered_by=actor,
                registered_at=timezone.now(),
                idempotency_key=idempotency_key,
                request_fingerprint=request_fingerprint,
            )
            save_as(entry, actor)
            if entry.plan_due_at:
                plan_clock_start(entry=entry)
    except IntegrityError:
        existing = _entry_for_key(idempotency_key, actor, request_fingerprint)
        if existing:
            return existing, False
        raise ValidationError({"patient": "This patient is already on the register"}) from None
    return entry, True


def _entry_for_key(idempotency_key: str, actor: User, fingerprint: str) -> RegisterEntry | None:
    return submitted_before(
        RegisterEntry, key=idempotency_key, actor=actor, actor_field="registered_by", noun="registration",
        fingerprint=fingerprint,
    )


def entry_locked_for(entry: RegisterEntry, move: str) -> RegisterEntry:
    """The entry, locked, once its transition table allows ``move`` (its status set to where the
    move leads); Conflict if not. Every service that works an entry starts here."""
    locked = RegisterEntry.objects.select_for_update().select_related("patient").get(pk=entry.pk)
    locked.status = RegisterEntry.TRANSITIONS.move(
        move, locked.status, lambda: f"{locked.patient} has already been discharged"
    )
    return locked


def entry_update(
    *,
    entry: RegisterEntry,
    actor: User,
    owner: User | None,
    next_action: str,
    next_action_due: date | None,
    fit_on: date | None,
) -> RegisterEntry:
    """Owner, next action and the date declared fit. A new fit date restarts the plan clock."""
    with transaction.atomic():
        locked = entry_locked_for(entry, "update")
        if fit_on and fit_on > timezone.localdate():
            raise ValidationError({"fit_on": "This date cannot be in the future"})
        owner_check(owner)
        fit_changed = locked.fit_on != fit_on
        locked.owner = owner
        locked.next_action = next_action.strip()
        locked.next_action_due = next_action_due
        locked.fit_on = fit_on
        if fit_changed and locked.plan_set_at is None:
            locked.plan_due_at = plan_due_at(fit_on)
        save_as(locked, actor)
        if fit_changed and locked.plan_set_at is None:
            if locked.plan_due_at:
                plan_clock_start(entry=locked)
            else:
                plan_clock_stop(entry=locked, actor=actor, reason="no longer declared medically fit")
    return locked


# --- Escalation clock: an MFFD patient waiting for a discharge plan -----------------------------

# The escalation clock kind on a register entry waiting for its discharge plan (pathway).
PLAN_CLOCK = "discharge_plan"


def plan_clock_start(*, entry: RegisterEntry) -> None:
    """An MFFD patient needs a discharge plan by ``entry.plan_due_at``. A new fit date moves the
    due time: the running clock is stopped and a new cycle starts at the new due time. On the
    default ladder: the TOC team has no duty queue of its own to hang a ladder on."""
    escalation_services.clock_stop(subject=entry, kind=PLAN_CLOCK, actor=None, reason="date declared fit changed")
    escalation_services.clock_start(**plan_clock(entry))


def plan_clock(entry: RegisterEntry) -> dict:
    """What the discharge plan clock on ``entry`` starts with (the place data generator asks it too)."""
    return {
        # From the day declared fit, as the due time is: the warning comes at its share of the target.
        "subject": entry, "kind": PLAN_CLOCK, "due_at": entry.plan_due_at,
        "started_at": min(_fit_day_start(entry.fit_on), entry.plan_due_at),
        "label": f"Discharge plan for {entry.patient} ({entry.ward})",
        "url": reverse("discharge:entry_detail", args=[entry.public_id]),
    }


def plan_clock_stop(*, entry: RegisterEntry, actor: User | None = None, reason: str = "discharge plan set") -> None:
    """The patient has a plan (pathway), is no longer fit, or has left: stop the clock."""
    escalation_services.clock_stop(subject=entry, kind=PLAN_CLOCK, actor=actor, reason=reason)



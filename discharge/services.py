"""Writes for Transfer of Care: the register, pathways, trusted assessment, capacity, delays,
discharge and bed occupancy. Each runs in a transaction and saves through ``save_as``."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.idempotency import submitted_before
from ccc.models import Organisation, Team, User
from discharge.models import (
    SIGN_OFF_NEEDED,
    BedOccupancy,
    CapacityBooking,
    Delay,
    DelayReason,
    DelaySignOff,
    Partner,
    PathwayChange,
    PathwayService,
    RegisterEntry,
    TransferOfCareSettings,
    TrustedAssessment,
    Ward,
)
from escalations import services as escalation_services
from irr import services as irr_services
from irr.models import MAX_PLANNED_LENGTH, Episode
from referrals import services as referral_services
from referrals.models import Patient

# Which kind of organisation each signing partner belongs to.
PARTNER_ORGANISATION_KIND = {
    Partner.ACUTE: Organisation.Kind.ACUTE_TRUST,
    Partner.COMMUNITY: Organisation.Kind.ACUTE_TRUST,  # the acute and community trust is one organisation here
    Partner.SOCIAL_CARE: Organisation.Kind.COUNCIL,
}


# --- Register --------------------------------------------------------------------------------


def patient_for_register(
    *, actor: User, nhs_number: str, given_name: str, family_name: str, date_of_birth: date
) -> Patient:
    """The patient with this NHS number if the CCC already knows them; otherwise a new patient."""
    if nhs_number:
        known = Patient.objects.filter(nhs_number=nhs_number).first()
        if known:
            return known
    return referral_services.patient_create(
        created_by=actor,
        nhs_number=nhs_number,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
    )


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
    registered_by: User,
    idempotency_key: str,
    patient: Patient,
    ward: Ward,
    admitted_on: date,
    consultant: str,
    source: str,
    referred_on: date,
    fit_on: date | None = None,
    owner: User | None = None,
    next_action: str = "",
    next_action_due: date | None = None,
) -> tuple[RegisterEntry, bool]:
    """Put an inpatient on the register. A repeated submission returns the entry the first made."""
    existing = _entry_for_key(idempotency_key, registered_by)
    if existing:
        return existing, False
    today = timezone.localdate()
    for field, value in (("admitted_on", admitted_on), ("referred_on", referred_on), ("fit_on", fit_on)):
        if value and value > today:
            raise ValidationError({field: "This date cannot be in the future"})
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
        registered_by=registered_by,
        registered_at=timezone.now(),
        idempotency_key=idempotency_key,
    )
    try:
        with transaction.atomic():
            save_as(entry, registered_by)
            if entry.plan_due_at:
                plan_clock_start(entry)
    except IntegrityError:
        existing = _entry_for_key(idempotency_key, registered_by)
        if existing:
            return existing, False
        raise ValidationError({"patient": "This patient is already on the register"}) from None
    return entry, True


def _entry_for_key(idempotency_key: str, registered_by: User) -> RegisterEntry | None:
    return submitted_before(
        RegisterEntry, key=idempotency_key, actor=registered_by, actor_field="registered_by", noun="registration"
    )


def _locked_open(entry: RegisterEntry) -> RegisterEntry:
    locked = RegisterEntry.objects.select_for_update().select_related("patient").get(pk=entry.pk)
    if locked.status != RegisterEntry.Status.OPEN:
        raise Conflict(f"{locked.patient} has already been discharged")
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
        locked = _locked_open(entry)
        if fit_on and fit_on > timezone.localdate():
            raise ValidationError({"fit_on": "This date cannot be in the future"})
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
                plan_clock_start(locked)
            else:
                plan_clock_stop(locked, actor=actor, reason="no longer declared medically fit")
    return locked


# --- Escalation clock: an MFFD patient waiting for a discharge plan -----------------------------

# The escalation clock kind on a register entry waiting for its discharge plan (pathway).
PLAN_CLOCK = "discharge_plan"


def plan_clock_start(entry: RegisterEntry) -> None:
    """An MFFD patient needs a discharge plan by ``entry.plan_due_at``. A new fit date moves the
    due time: the running clock is stopped and a new cycle starts at the new due time. On the
    default ladder: the TOC team has no duty queue of its own to hang a ladder on."""
    patient = entry.patient
    escalation_services.clock_stop(subject=entry, kind=PLAN_CLOCK, actor=None, reason="date declared fit changed")
    escalation_services.clock_start(
        # From the day declared fit, as the due time is: the warning comes at its share of the target.
        subject=entry, kind=PLAN_CLOCK, due_at=entry.plan_due_at, started_at=min(_fit_day_start(entry.fit_on), entry.plan_due_at),
        label=f"Discharge plan for {patient} ({entry.ward})",
        url=reverse("discharge:entry_detail", args=[entry.public_id]),
    )


def plan_clock_stop(entry: RegisterEntry, *, actor: User | None = None, reason: str = "discharge plan set") -> None:
    """The patient has a plan (pathway), is no longer fit, or has left: stop the clock."""
    escalation_services.clock_stop(subject=entry, kind=PLAN_CLOCK, actor=actor, reason=reason)


# --- Pathway ---------------------------------------------------------------------------------


def pathway_set(*, entry: RegisterEntry, actor: User, pathway: int, reason: str = "") -> RegisterEntry:
    """Set the discharge pathway (the plan). Changing it needs a reason and keeps history; a bed
    or slot held on the old pathway's service is released."""
    with transaction.atomic():
        locked = _locked_open(entry)
        if locked.pathway == pathway:
            raise ValidationError({"pathway": f"{locked.patient} is already on {locked.get_pathway_display()}"})
        if locked.pathway is not None and not reason.strip():
            raise ValidationError({"reason": "Enter the reason for changing the pathway"})
        now = timezone.now()
        change = PathwayChange(
            entry=locked,
            from_pathway=locked.pathway,
            to_pathway=pathway,
            reason=reason.strip() or "Plan agreed",
            changed_by=actor,
            changed_at=now,
        )
        save_as(change, actor)
        for booking in CapacityBooking.objects.select_for_update().filter(
            entry=locked, status__in=CapacityBooking.HOLDING
        ):
            _booking_release(booking, actor, now)
        first_plan = locked.plan_set_at is None
        locked.pathway = pathway
        if first_plan:
            locked.plan_set_at = now
        save_as(locked, actor)
        if first_plan:
            plan_clock_stop(locked, actor=actor)
    return locked


# --- Trusted assessment ----------------------------------------------------------------------


def trusted_assessment_record(
    *,
    entry: RegisterEntry,
    actor: User,
    assessor_name: str,
    assessor_organisation: Organisation,
    assessed_on: date,
    summary: str,
) -> TrustedAssessment:
    """Record the one trusted assessment; the receiving service accepts it rather than re-assessing."""
    with transaction.atomic():
        locked = _locked_open(entry)
        if TrustedAssessment.objects.filter(entry=locked).exists():
            raise Conflict("A trusted assessment is already recorded for this patient: the service accepts that one")
        if assessed_on > timezone.localdate():
            raise ValidationError({"assessed_on": "This date cannot be in the future"})
        assessment = TrustedAssessment(
            entry=locked,
            assessor_name=assessor_name.strip(),
            assessor_organisation=assessor_organisation,
            assessed_on=assessed_on,
            summary=summary.strip(),
            recorded_by=actor,
        )
        save_as(assessment, actor)
    return assessment


def trusted_assessment_accept(*, assessment: TrustedAssessment, actor: User, service: PathwayService) -> TrustedAssessment:
    with transaction.atomic():
        locked = TrustedAssessment.objects.select_for_update().select_related("entry").get(pk=assessment.pk)
        if locked.accepted_at:
            raise Conflict(f"Already accepted by {locked.accepted_by_service}")
        if locked.entry.pathway != service.pathway:
            raise ValidationError({"service": f"{service} is not a service of this patient's pathway"})
        locked.accepted_by_service = service
        locked.accepted_by = actor
        locked.accepted_at = timezone.now()
        save_as(locked, actor)
    return locked


# --- Capacity --------------------------------------------------------------------------------


def booking_reserve(*, entry: RegisterEntry, service: PathwayService, actor: User) -> CapacityBooking:
    """Hold a bed or slot for the patient. The service row is locked while its free places are
    counted, so two people cannot both take the last one."""
    with transaction.atomic():
        locked_entry = _locked_open(entry)
        if locked_entry.pathway != service.pathway:
            raise ValidationError(
                {"service": f"{service} is for pathway {service.pathway}: set the patient's pathway first"}
            )
        locked = PathwayService.objects.select_for_update().get(pk=service.pk)
        if not locked.is_active:
            raise ValidationError({"service": f"{locked} is not taking patients"})
        if CapacityBooking.objects.filter(entry=locked_entry, status__in=CapacityBooking.HOLDING).exists():
            raise Conflict(f"{locked_entry.patient} already has a bed or slot reserved")
        held = CapacityBooking.objects.filter(service=locked, status__in=CapacityBooking.HOLDING).count()
        if held + locked.occupied_by_others >= locked.capacity:
            raise Conflict(f"{locked} has no free {locked.get_unit_display().lower()} today: someone took the last one")
        booking = CapacityBooking(service=locked, entry=locked_entry, reserved_by=actor, reserved_at=timezone.now())
        save_as(booking, actor)
    return booking


def booking_release(*, booking: CapacityBooking, actor: User) -> CapacityBooking:
    """Give a bed or slot back (the plan changed, or the person has left the service)."""
    with transaction.atomic():
        locked = CapacityBooking.objects.select_for_update().get(pk=booking.pk)
        _booking_release(locked, actor, timezone.now())
    return locked


def _booking_move(booking: CapacityBooking, status: str, actor: User) -> None:
    if status not in CapacityBooking.TRANSITIONS[booking.status]:
        raise Conflict(f"This booking is already {booking.get_status_display().lower()}")
    booking.status = status
    save_as(booking, actor)


def _booking_release(booking: CapacityBooking, actor: User, at: datetime) -> None:
    booking.released_at = at
    _booking_move(booking, CapacityBooking.Status.RELEASED, actor)


# --- Delays ----------------------------------------------------------------------------------


def delay_record(
    *,
    entry: RegisterEntry,
    actor: User,
    reason: DelayReason,
    attribution: str,
    starts_on: date,
    note: str = "",
) -> Delay:
    """The patient is MFFD and still here for ``reason`` from ``starts_on``. An open delay for
    another reason ends where this one starts, so each delayed day has one reason."""
    with transaction.atomic():
        locked = _locked_open(entry)
        if locked.fit_on is None:
            raise ValidationError({"starts_on": "Record the date declared medically fit before recording a delay"})
        if starts_on < locked.fit_on:
            raise ValidationError({"starts_on": "A delay cannot start before the patient was declared medically fit"})
        if starts_on > timezone.localdate():
            raise ValidationError({"starts_on": "A delay cannot start in the future"})
        if not reason.is_active:
            raise ValidationError({"reason": "This reason is no longer in use"})
        current = Delay.objects.select_for_update().filter(entry=locked, ends_on__isnull=True).first()
        if current:
            if starts_on < current.starts_on:
                raise ValidationError(
                    {"starts_on": f"The current delay started on {current.starts_on:%d/%m/%Y}: start after it"}
                )
            current.ends_on = starts_on
            save_as(current, actor)
        delay = Delay(
            entry=locked,
            reason=reason,
            attribution=attribution,
            starts_on=starts_on,
            note=note.strip(),
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        save_as(delay, actor)
    return delay


def delay_end(*, delay: Delay, actor: User, ends_on: date) -> Delay:
    """The cause of the delay is resolved while the patient is still in hospital."""
    with transaction.atomic():
        locked = Delay.objects.select_for_update().get(pk=delay.pk)
        if locked.ends_on:
            raise Conflict("This delay has already ended")
        if ends_on < locked.starts_on:
            raise ValidationError({"ends_on": "A delay cannot end before it starts"})
        locked.ends_on = ends_on
        save_as(locked, actor)
    return locked


def delay_sign_off(*, delay: Delay, actor: User, partner: str) -> DelaySignOff:
    """A partner agrees the delay's reason and attribution. The signer must belong to that partner."""
    needed = SIGN_OFF_NEEDED[delay.attribution]
    if not any(partner in group for group in needed):
        raise ValidationError(
            {"partner": f"A {delay.get_attribution_display()} delay is not signed off by {Partner(partner).label.lower()}"}
        )
    organisation = actor.organisation
    if organisation is None or organisation.kind != PARTNER_ORGANISATION_KIND[partner]:
        raise ValidationError({"partner": f"Only staff of the {Partner(partner).label.lower()} partner can sign for it"})
    with transaction.atomic():
        locked = Delay.objects.select_for_update().get(pk=delay.pk)
        sign_off = DelaySignOff(delay=locked, partner=partner, signed_by=actor, signed_at=timezone.now())
        try:
            with transaction.atomic():
                save_as(sign_off, actor)
        except (IntegrityError, ValidationError):
            raise Conflict(f"{Partner(partner).label} has already signed this delay off") from None
        signed = set(locked.sign_offs.values_list("partner", flat=True))
        if locked.agreed_at is None and all(group & signed for group in needed):
            locked.agreed_at = sign_off.signed_at
            save_as(locked, actor)
    return sign_off


# --- Discharge -------------------------------------------------------------------------------


def entry_discharge(
    *,
    entry: RegisterEntry,
    actor: User,
    discharged_on: date,
    destination: str,
    pathway_used: int,
    readmission_risk: str,
) -> RegisterEntry:
    """The patient has left hospital. Ends the open delay; a bed or slot reserved on the pathway
    used becomes occupied, any other is released; then the hand-overs the discharge owes."""
    with transaction.atomic():
        locked = _locked_open(entry)
        if discharged_on > timezone.localdate():
            raise ValidationError({"discharged_on": "The discharge date cannot be in the future"})
        if discharged_on < locked.admitted_on:
            raise ValidationError({"discharged_on": "The discharge date cannot be before admission"})
        for delay in Delay.objects.select_for_update().filter(entry=locked, ends_on__isnull=True):
            if discharged_on < delay.starts_on:
                raise ValidationError({"discharged_on": "The discharge date cannot be before the current delay started"})
            delay.ends_on = discharged_on
            save_as(delay, actor)
        now = timezone.now()
        for booking in CapacityBooking.objects.select_for_update().select_related("service").filter(
            entry=locked, status=CapacityBooking.Status.RESERVED
        ):
            if booking.service.pathway == pathway_used:
                _booking_move(booking, CapacityBooking.Status.OCCUPIED, actor)
            else:
                _booking_release(booking, actor, now)
        if RegisterEntry.Status.DISCHARGED not in RegisterEntry.TRANSITIONS[locked.status]:
            raise Conflict("This patient cannot be discharged now")
        locked.status = RegisterEntry.Status.DISCHARGED
        locked.discharged_on = discharged_on
        locked.destination = destination.strip()
        locked.pathway_used = pathway_used
        locked.readmission_risk = readmission_risk
        locked.irr_handover_needed = pathway_used == 1
        locked.follow_up_calls_needed = readmission_risk == RegisterEntry.ReadmissionRisk.HIGH
        save_as(locked, actor)
        plan_clock_stop(locked, actor=actor, reason="discharged")  # discharged before a plan was recorded
        after_discharge(locked, actor)
    return locked


def after_discharge(entry: RegisterEntry, actor: User) -> None:
    """What a discharge hands over, in the discharge's transaction. The one place to wire them."""
    if entry.irr_handover_needed:
        hand_over_to_irr(entry, actor)
    if entry.follow_up_calls_needed:
        schedule_follow_up_calls(entry, actor)


def hand_over_to_irr(entry: RegisterEntry, actor: User) -> Episode:
    """Pathway 1: an IRR episode of early supported discharge at home, for up to six weeks from
    the discharge, with the IRR team set in the Transfer of Care settings. One episode per
    discharge: a retry returns the episode already opened."""
    if entry.irr_episode_id:
        return entry.irr_episode
    team = TransferOfCareSettings.current().irr_team
    if team is None:
        raise ValidationError(
            {"pathway_used": "No IRR team is set for pathway 1 discharges: ask an administrator to set one "
             "in the Transfer of Care settings, then discharge again"}
        )
    lead = _irr_lead_professional(team)
    if lead is None:
        raise ValidationError(
            {"pathway_used": f"{team} has no active team lead or duty clinician to lead the IRR episode: "
             "ask an administrator"}
        )
    episode = irr_services.episode_open(
        patient=entry.patient,
        lead_professional=lead,
        actor=actor,
        team=team,
        # Six weeks from the discharge (a discharge recorded late still ends six weeks after it).
        planned_end=min(entry.discharged_on, timezone.now().date()) + MAX_PLANNED_LENGTH,
        goals="Early supported discharge: settle at home, regain independence and avoid readmission.",
        source_discharge_note=(
            f"Discharged from {entry.ward} on {entry.discharged_on:%d/%m/%Y} on pathway 1 "
            f"(Transfer of Care register, {entry.destination})"
        )[:500],
    )
    entry.irr_episode = episode
    save_as(entry, actor)
    return episode


def _irr_lead_professional(team: Team) -> User | None:
    """Who leads an episode handed over from a discharge until the team reassigns it: the team's
    lead, else its first duty clinician (the same people who would open it from triage)."""
    staff = User.objects.filter(team=team, is_active=True).order_by("pk")
    return (
        staff.filter(role=User.Role.TEAM_LEAD).first()
        or staff.filter(role=User.Role.DUTY_CLINICIAN).first()
    )


def schedule_follow_up_calls(entry: RegisterEntry, actor: User) -> None:
    """High readmission risk: the CCC calls the patient on the policy's days after discharge
    (day 2 and day 7), from the CCC's work list. Idempotent per discharge day."""
    referral_services.follow_up_calls_schedule(
        patient=entry.patient,
        discharged_on=entry.discharged_on,
        reason=f"High readmission risk at discharge from {entry.ward}",
        actor=actor,
    )


# --- Bed occupancy ---------------------------------------------------------------------------


def occupancy_record(*, ward: Ward, on: date, occupied_beds: int, actor: User) -> BedOccupancy:
    """Enter (or correct) a ward's occupied beds for a day; corrections stay in history."""
    with transaction.atomic():
        figure = BedOccupancy.objects.select_for_update().filter(ward=ward, date=on).first()
        figure = figure or BedOccupancy(ward=ward, date=on)
        figure.occupied_beds = occupied_beds
        figure.recorded_by = actor
        save_as(figure, actor)
    return figure


@dataclass
class OccupancyImport:
    created: int
    updated: int


OCCUPANCY_COLUMNS = ["ward", "date", "occupied_beds"]
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _parse_date(value: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


def occupancy_import(*, text: str, actor: User) -> OccupancyImport:
    """Load a CSV of ``ward,date,occupied_beds`` rows. Every row is checked first; if any is
    wrong nothing is loaded and the error lists each bad line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if [name.strip().lower() for name in (reader.fieldnames or [])] != OCCUPANCY_COLUMNS:
        raise ValidationError(f"The first line must be the column names: {','.join(OCCUPANCY_COLUMNS)}")
    wards = {ward.code: ward for ward in Ward.objects.all()}
    rows: dict[tuple[int, date], tuple[Ward, date, int]] = {}
    errors = []
    for line, row in enumerate(reader, start=2):
        code = (row.get("ward") or "").strip()
        ward = wards.get(code)
        on = _parse_date(row.get("date") or "")
        beds = (row.get("occupied_beds") or "").strip()
        problems = []
        if ward is None:
            problems.append(f"unknown ward “{code}”")
        if on is None:
            problems.append(f"date “{row.get('date') or ''}” is not like 2026-10-31 or 31/10/2026")
        elif on > timezone.localdate():
            problems.append("date is in the future")
        if not beds.isdigit():
            problems.append(f"occupied beds “{beds}” is not a whole number of 0 or more")
        if not problems and (ward.pk, on) in rows:
            problems.append(f"{code} on {on:%d/%m/%Y} appears twice")
        if problems:
            errors.append(f"Line {line}: " + "; ".join(problems))
            continue
        rows[(ward.pk, on)] = (ward, on, int(beds))
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError("The file has no rows of figures")
    created = updated = 0
    with transaction.atomic():
        existing = {
            (figure.ward_id, figure.date): figure
            for figure in BedOccupancy.objects.select_for_update().filter(
                ward_id__in={key[0] for key in rows}, date__in={key[1] for key in rows}
            )
        }
        for key, (ward, on, beds) in rows.items():
            figure = existing.get(key)
            if figure is None:
                figure = BedOccupancy(ward=ward, date=on)
                created += 1
            elif figure.occupied_beds == beds:
                continue
            else:
                updated += 1
            figure.occupied_beds = beds
            figure.recorded_by = actor
            save_as(figure, actor)
    return OccupancyImport(created=created, updated=updated)

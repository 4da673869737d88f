"""The discharge: the patient leaves hospital, and the hand-overs the discharge owes."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.models import Team, User
from ccc.permissions import Action, roles_granted
from discharge.journey import DISCHARGED
from discharge.models import CapacityBooking, Delay, RegisterEntry, TransferOfCareSettings
from discharge.services.capacity import _booking_release, booking_occupy
from discharge.services.register import entry_locked_for, plan_clock_stop
from irr import services as irr_services
from irr.models import MAX_PLANNED_LENGTH, Episode
from referrals import services as referral_services
from referrals.journey import patient_referrers_notify


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
        locked = entry_locked_for(entry, "discharge")
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
                booking_occupy(booking=booking, actor=actor)
            else:
                _booking_release(booking, actor, now)
        locked.discharged_on = discharged_on
        locked.destination = destination.strip()
        locked.pathway_used = pathway_used
        locked.readmission_risk = readmission_risk
        locked.irr_handover_needed = pathway_used == 1
        locked.follow_up_calls_needed = readmission_risk == RegisterEntry.ReadmissionRisk.HIGH
        save_as(locked, actor)
        plan_clock_stop(entry=locked, actor=actor, reason="discharged")  # discharged before a plan was recorded
        after_discharge(entry=locked, actor=actor)
        patient_referrers_notify(patient=locked.patient, step=f"discharged-{locked.pk}", label=DISCHARGED,
                                 on=discharged_on)
    return locked


def after_discharge(*, entry: RegisterEntry, actor: User) -> None:
    """What a discharge hands over, in the discharge's transaction. The one place to wire them."""
    if entry.irr_handover_needed:
        hand_over_to_irr(entry=entry, actor=actor)
    if entry.follow_up_calls_needed:
        schedule_follow_up_calls(entry=entry, actor=actor)


def hand_over_to_irr(*, entry: RegisterEntry, actor: User) -> Episode:
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
            f"Discharged from {entry.ward} on {entry.discharged_on:%-d %B %Y} on pathway 1 "
            f"(Transfer of Care register, {entry.destination})"
        )[:500],
    )
    entry.irr_episode = episode
    save_as(entry, actor)
    return episode


def _irr_lead_professional(team: Team) -> User | None:
    """Who leads an episode handed over from a discharge until the team reassigns it: the team's
    lead, else its first duty clinician (the same people who would open it from triage)."""
    staff = User.objects.filter(team=team, is_active=True, role__in=roles_granted(Action.EPISODE_MANAGE)).order_by("pk")
    # The team lead is who manages the team's rota.
    return staff.filter(role__in=roles_granted(Action.ROTA_MANAGE)).first() or staff.first()


def schedule_follow_up_calls(*, entry: RegisterEntry, actor: User) -> None:
    """High readmission risk: the CCC calls the patient on the policy's days after discharge
    (day 2 and day 7), from the CCC's work list. Idempotent per discharge day."""
    referral_services.follow_up_calls_schedule(
        patient=entry.patient,
        discharged_on=entry.discharged_on,
        reason=f"High readmission risk at discharge from {entry.ward}",
        actor=actor,
    )



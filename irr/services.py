"""Writes for IRR episodes: open, members, visits (the paired-visit rule), close."""

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.idempotency import same_submission
from ccc.models import Organisation, Team, User
from irr import journey
from irr.models import Discipline, Episode, EpisodeMember, Visit
from irr.pairs import pairs_reasons
from irr.permissions import may_lead_episode
from referrals.journey import referrer_notify
from referrals.models import Patient, Referral
from triage import services as triage_services
from triage.models import TriageDecision


def episode_open(
    *,
    patient: Patient,
    lead_professional: User,
    actor: User,
    team: Team | None = None,
    planned_end: date,
    goals: str,
    source_decision: TriageDecision | None = None,
    source_discharge_note: str = "",
    lone_working_risk: bool = False,
    longer_plan_reason: str = "",
    lead_discipline: str = "",
    first_member_name: str = "",
    first_member_discipline: str = "",
    first_member_organisation: Organisation | None = None,
) -> Episode:
    """Open an episode from a triage decision to start one, or from a discharge on pathway 1.

    From a decision, the team is the triage queue's and the lone-working risk is the decision's,
    and the episode starts with its lead professional as a member (in ``lead_discipline``) and,
    if named, one more member: the page and the API both come here, so both get the same team.
    Opening twice from one decision (a double submit) returns the first episode, unchanged.
    """
    if not may_lead_episode(lead_professional):
        raise ValidationError({"lead_professional": f"{lead_professional} cannot lead an IRR episode: choose a clinician"})
    first_member = [first_member_name.strip(), first_member_discipline, first_member_organisation]
    if any(first_member) and not all(first_member):
        raise ValidationError({"first_member_name": "Enter the member's name, discipline and organisation, or none of them"})
    if source_decision is not None:
        if source_decision.outcome != TriageDecision.Outcome.ACCEPT:
            raise ValidationError("Only a triage decision to start an IRR episode can open one")
        if source_decision.queue_item.referral.patient_id != patient.pk:
            raise ValidationError({"patient": "The episode must be for the patient the triage decision is about"})
        existing = Episode.objects.filter(source_decision=source_decision).first()
        if existing:
            return existing
        if not lead_discipline:
            raise ValidationError({"lead_discipline": "Select the lead professional's discipline"})
        team = team or source_decision.queue_item.queue.team
        lone_working_risk = lone_working_risk or source_decision.lone_working_risk
        # The page offers only the team's own clinicians; the API is held to the same.
        if team is not None and lead_professional.team_id != team.pk:
            raise ValidationError({"lead_professional": f"{lead_professional} is not on {team}: choose one of its clinicians"})
    if team is None:
        raise ValidationError({"team": "Select the IRR team for this episode"})
    episode = Episode(
        patient=patient,
        team=team,
        lead_professional=lead_professional,
        source_decision=source_decision,
        source_discharge_note=source_discharge_note.strip(),
        goals=goals.strip(),
        lone_working_risk=lone_working_risk,
        opened_at=timezone.now(),
        opened_by=actor,
        planned_end=planned_end,
        longer_plan_reason=longer_plan_reason.strip(),
    )
    try:
        with transaction.atomic():
            save_as(episode, actor)
            if lead_discipline:
                episode_member_add(
                    episode=episode, name=str(lead_professional), discipline=lead_discipline,
                    organisation=lead_professional.organisation or team.organisation, user=lead_professional,
                    actor=actor,
                )
            if all(first_member):
                episode_member_add(
                    episode=episode, name=first_member_name, discipline=first_member_discipline,
                    organisation=first_member_organisation, actor=actor,
                )
            if source_decision is not None:
                referrer_notify(referral=source_decision.queue_item.referral, step="episode_opened",
                                label=journey.opened_label(team))
    except (IntegrityError, ValidationError) as error:
        # The same decision opened twice at once: the one-to-one let one through.
        if source_decision is not None:
            existing = Episode.objects.filter(source_decision=source_decision).first()
            if existing:
                return existing
        raise error
    return episode


def episode_member_add(
    *,
    episode: Episode,
    name: str,
    discipline: str,
    organisation: Organisation,
    actor: User,
    user: User | None = None,
) -> EpisodeMember:
    """Add someone to the episode's team; ``user`` is their account, if they have one."""
    member = EpisodeMember(
        episode=episode, name=name.strip(), discipline=discipline, organisation=organisation, user=user
    )
    if EpisodeMember.objects.filter(episode=episode, name=member.name, discipline=discipline).exists():
        raise ValidationError({"name": f"{member.name} is already on this episode as a {member.get_discipline_display().lower()}"})
    save_as(member, actor)
    return member


def check_visit_staff(*, episode: Episode, staff: Sequence[EpisodeMember]) -> None:
    """Who goes on a visit: the episode's own members; two whenever the pairs rule applies."""
    if not staff:
        raise ValidationError({"staff": "Select who is going on the visit"})
    if any(member.episode_id != episode.pk for member in staff):
        raise ValidationError({"staff": "Only members of this episode can go on its visits"})
    reasons = pairs_reasons(episode)
    if reasons:
        why = "; ".join(reasons)
        if len(staff) < 2:
            raise ValidationError({"staff": f"This visit needs two staff (one may be a support worker): {why}"})
        if all(member.discipline == Discipline.SUPPORT_WORKER for member in staff):
            raise ValidationError({"staff": f"A support worker can be the second person, not both: {why}"})


def visit_schedule(
    *,
    episode: Episode,
    kind: str,
    scheduled_for: datetime,
    staff: Sequence[EpisodeMember],
    actor: User,
    submission_key: str | None = None,
    request_fingerprint: str = "",
) -> Visit:
    """Plan a visit. A repeated ``submission_key`` returns the first visit (over the API, only for
    the same body: ``request_fingerprint``, else ``SubmissionMismatch``)."""
    if submission_key:
        existing = same_submission(Visit.objects.filter(submission_key=submission_key).first(), request_fingerprint, "visit")
        if existing:
            return existing
    check_visit_staff(episode=episode, staff=staff)
    try:
        with transaction.atomic():
            locked = Episode.objects.select_for_update().get(pk=episode.pk)
            Episode.TRANSITIONS.move("visit", locked.status, "This episode is closed: no more visits can be planned")
            visit = Visit(
                episode=locked,
                kind=kind,
                scheduled_for=scheduled_for,
                planned_by=actor,
                submission_key=submission_key or None,
                request_fingerprint=request_fingerprint,
            )
            save_as(visit, actor)
            visit.staff.set(staff)
    except (IntegrityError, ValidationError):
        # A double submit racing itself: the unique key let one through.
        existing = Visit.objects.filter(submission_key=submission_key).first() if submission_key else None
        if existing:
            return same_submission(existing, request_fingerprint, "visit")
        raise
    return visit


def visit_record(*, visit: Visit, outcome: str, actor: User, at: datetime | None = None) -> Visit:
    """Record what happened. The episode's first visit made is the first response to its triage decision."""
    outcome = outcome.strip()
    if not outcome:
        raise ValidationError({"outcome": "Enter the outcome of the visit"})
    with transaction.atomic():
        locked = Visit.objects.select_for_update(of=("self",)).select_related("episode__source_decision").get(pk=visit.pk)
        status = Visit.TRANSITIONS.move(
            "record", locked.status, lambda: f"This visit was already recorded by {locked.recorded_by}"
        )
        locked.status, locked.outcome = status, outcome
        locked.recorded_at, locked.recorded_by = at or timezone.now(), actor
        save_as(locked, actor)
        decision = locked.episode.source_decision
        if decision is not None:
            triage_services.first_response_record(decision=decision, at=locked.scheduled_for, actor=actor)
            # Once per referral: later visits find the step already told.
            referrer_notify(referral=decision.queue_item.referral, step="first_visit", label=journey.FIRST_VISIT)
    return locked


def episode_close(*, episode: Episode, outcome: str, actor: User, note: str = "") -> Episode:
    with transaction.atomic():
        locked = Episode.objects.select_for_update().get(pk=episode.pk)
        status = Episode.TRANSITIONS.move(
            "close", locked.status, lambda: f"This episode was already closed by {locked.closed_by}"
        )
        if outcome not in Episode.Outcome.values:
            raise ValidationError({"outcome": "Select the outcome of the episode"})
        if outcome == Episode.Outcome.OTHER and not note.strip():
            raise ValidationError({"outcome_note": "Say what the outcome was"})
        locked.status, locked.outcome, locked.outcome_note = status, outcome, note.strip()
        locked.closed_at, locked.closed_by = timezone.now(), actor
        save_as(locked, actor)
        if locked.source_decision_id is not None:
            referral = Referral.objects.get(queue_item__decisions=locked.source_decision_id)
            referrer_notify(referral=referral, step="episode_closed", label=journey.closed_label(outcome))
    return locked

"""Follow-up calls after discharge: scheduled by a discharge or by hand, each outcome recorded once."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ccc.audit import save_as
from ccc.idempotency import same_submission
from ccc.models import User
from escalations import services as escalation_services
from referrals.models import FollowUpCall, FollowUpPolicy, Patient
from referrals.services.clocks import FOLLOW_UP_CALL_CLOCK, front_desk_clock_start


def _call_clock_start(call: FollowUpCall, actor: User | None) -> None:
    front_desk_clock_start(
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
    *, patient: Patient, due_at: datetime, reason: str, actor: User, idempotency_key: str, request_fingerprint: str = ""
) -> tuple[FollowUpCall, bool]:
    """A call handler schedules one call by hand. A repeated submission returns the first call
    (over the API, only for the same body: ``request_fingerprint``)."""
    existing = _call_for_key(idempotency_key, request_fingerprint)
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
        request_fingerprint=request_fingerprint,
    )
    saved = _save_once(call, actor)
    if saved.pk != call.pk:  # the same key arrived twice at once: the other one was saved
        return same_submission(saved, request_fingerprint, "follow-up call"), False
    return saved, True


def _call_for_key(idempotency_key: str, fingerprint: str) -> FollowUpCall | None:
    existing = FollowUpCall.objects.filter(schedule_key=f"manual:{idempotency_key}").first()
    return same_submission(existing, fingerprint, "follow-up call")


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
        # Each outcome is the move of the same name in FollowUpCall.TRANSITIONS.
        if status not in FollowUpCall.TRANSITIONS.moves:
            raise ValidationError({"status": "Choose how the call went"})
        new_status = FollowUpCall.TRANSITIONS.move(status, locked.status, lambda: _already_recorded(locked))
        if status == FollowUpCall.Status.ANSWERED_CONCERNS and not note.strip():
            raise ValidationError({"note": "Enter the concerns the patient raised"})
        now = timezone.now()
        locked.status = new_status
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


def _already_recorded(call: FollowUpCall) -> str:
    when = date_format(timezone.localtime(call.outcome_at), "j M H:i") if call.outcome_at else ""
    return f"This call was already recorded as “{call.get_status_display()}” by {call.outcome_by} at {when}"

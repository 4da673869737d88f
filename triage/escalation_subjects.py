"""Triage tells the escalation engine who is on duty for a queue, and where a triage decision's
clock steps (the first response) are written: on its referral's timeline."""

from dataclasses import replace
from datetime import datetime

from ccc.models import User
from escalations.subjects import TimelineEntry, register_duty, register_subject
from referrals.escalation_subjects import referral_timeline
from triage.models import DutyQueue, TriageDecision
from triage.selectors import duty_clinicians_now, duty_lead_now


def _decision_timeline(entries: list[TimelineEntry]) -> None:
    # One lookup for every decision in the sweep, then the referrals' one insert.
    referral_of = dict(
        TriageDecision.objects.filter(pk__in={entry.subject_id for entry in entries})
        .values_list("pk", "queue_item__referral_id")
    )
    referral_timeline([replace(entry, subject_id=referral_of[entry.subject_id]) for entry in entries])


def _on_duty(queue: DutyQueue, at: datetime) -> list[User]:
    # A shift with no rota is open to every clinician of the queue (as claiming is): tell them all.
    return duty_clinicians_now(queue=queue, at=at) or list(queue.clinicians.all())


def _duty_lead(queue: DutyQueue, at: datetime) -> User | None:
    return duty_lead_now(queue=queue, at=at)


register_subject("triage.triagedecision", timeline_writer=_decision_timeline)
register_duty(on_duty=_on_duty, duty_lead=_duty_lead)

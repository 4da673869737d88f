"""Triage tells the escalation engine who is on duty for a queue, and where a triage decision's
clock steps (the first response) are written: on its referral's timeline."""

from datetime import datetime
from typing import Any

from ccc.models import User
from escalations.subjects import register_duty, register_subject
from referrals.escalation_subjects import referral_timeline
from triage.models import DutyQueue, TriageDecision
from triage.selectors import duty_clinicians_now, duty_lead_now


def _decision_timeline(*, subject_id: int, kind: str, summary: str, actor: Any, at: datetime) -> None:
    referral_id = TriageDecision.objects.filter(pk=subject_id).values_list("queue_item__referral_id", flat=True).get()
    referral_timeline(subject_id=referral_id, kind=kind, summary=summary, actor=actor, at=at)


def _on_duty(queue: DutyQueue, at: datetime) -> list[User]:
    # A shift with no rota is open to every clinician of the queue (as claiming is): tell them all.
    return duty_clinicians_now(queue=queue, at=at) or list(queue.clinicians.all())


def _duty_lead(queue: DutyQueue, at: datetime) -> User | None:
    return duty_lead_now(queue=queue, at=at)


register_subject("triage.triagedecision", timeline_writer=_decision_timeline)
register_duty(on_duty=_on_duty, duty_lead=_duty_lead)

"""Referrals tell the escalation engine where a referral's clock steps are written: its timeline."""

from datetime import datetime
from typing import Any

from escalations.subjects import register_subject
from referrals.models import Referral
from referrals.timeline import timeline_record


def referral_timeline(*, subject_id: int, kind: str, summary: str, actor: Any, at: datetime) -> None:
    timeline_record(referral=Referral(pk=subject_id), kind=kind, summary=summary, actor=actor, at=at)


register_subject("referrals.referral", timeline_writer=referral_timeline)

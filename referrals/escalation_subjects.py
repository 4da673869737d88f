"""Referrals tell the escalation engine where clock steps are written: a referral's on its timeline,
a call-back request's on the request itself, so the team's list shows it was escalated."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from ccc.audit import update_as
from escalations.subjects import register_subject
from referrals.models import CallBackRequest, Referral
from referrals.timeline import timeline_record


def referral_timeline(*, subject_id: int, kind: str, summary: str, actor: Any, at: datetime) -> None:
    timeline_record(referral=Referral(pk=subject_id), kind=kind, summary=summary, actor=actor, at=at)


def call_back_timeline(*, subject_id: int, kind: str, summary: str, actor: Any, at: datetime) -> None:
    step = f"{date_format(timezone.localtime(at), 'j M H:i')}: {summary}"
    update_as(CallBackRequest.objects.filter(pk=subject_id), actor, last_escalation=step[:500])


register_subject("referrals.referral", timeline_writer=referral_timeline)
register_subject("referrals.callbackrequest", timeline_writer=call_back_timeline)

"""Referrals tell the escalation engine where clock steps are written: a referral's on its timeline,
a call-back request's on the request itself, so the team's list shows it was escalated."""

from django.utils import timezone
from django.utils.formats import date_format

from ccc.audit import update_as
from escalations.subjects import TimelineEntry, register_subject
from referrals.models import CallBackRequest, TimelineEvent


def referral_timeline(entries: list[TimelineEntry]) -> None:
    # One insert for a whole sweep's steps, however many referrals it touched.
    TimelineEvent.objects.bulk_create([
        TimelineEvent(referral_id=entry.subject_id, kind=entry.kind, summary=entry.summary, actor=entry.actor,
                      occurred_at=entry.at)
        for entry in entries
    ])


def call_back_timeline(entries: list[TimelineEntry]) -> None:
    # A request keeps its latest step only: the last of the sweep's for each request.
    latest = {entry.subject_id: entry for entry in sorted(entries, key=lambda entry: entry.at)}
    for subject_id, entry in latest.items():
        step = f"{date_format(timezone.localtime(entry.at), 'j M H:i')}: {entry.summary}"
        update_as(CallBackRequest.objects.filter(pk=subject_id), entry.actor, last_escalation=step[:500])


register_subject("referrals.referral", timeline_writer=referral_timeline)
register_subject("referrals.callbackrequest", timeline_writer=call_back_timeline)

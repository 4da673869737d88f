"""Referrals tell the escalation engine where a referral's clock steps are written: its timeline."""

from escalations.subjects import TimelineEntry, register_subject
from referrals.models import TimelineEvent


def referral_timeline(entries: list[TimelineEntry]) -> None:
    # One insert for a whole sweep's steps, however many referrals it touched.
    TimelineEvent.objects.bulk_create([
        TimelineEvent(referral_id=entry.subject_id, kind=entry.kind, summary=entry.summary, actor=entry.actor,
                      occurred_at=entry.at)
        for entry in entries
    ])


register_subject("referrals.referral", timeline_writer=referral_timeline)

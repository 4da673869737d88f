"""Writing a referral's timeline. Every app that moves a referral on records the step here."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from ccc.audit import known_related
from referrals.models import Referral, TimelineEvent


def timeline_record(
    *, referral: Referral, kind: str, summary: str, actor: Any = None, at: datetime | None = None
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        referral=referral, kind=kind, summary=summary, actor=actor, occurred_at=at or timezone.now()
    )


def timeline_begin(*, referral: Referral, events: list[TimelineEvent]) -> list[TimelineEvent]:
    """A new referral's first steps (received, routed): one insert, and the referral knows its
    timeline is just these, so the answer to its sender does not read them back."""
    for event in events:
        event.referral = referral
    TimelineEvent.objects.bulk_create(events)
    known_related(referral, "timeline", events)
    return events

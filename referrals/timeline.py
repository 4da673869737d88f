"""Writing a referral's timeline. Every app that moves a referral on records the step here."""

from datetime import datetime
from typing import Any

from django.utils import timezone

from referrals.models import Referral, TimelineEvent


def timeline_record(
    *, referral: Referral, kind: str, summary: str, actor: Any = None, at: datetime | None = None
) -> TimelineEvent:
    return TimelineEvent.objects.create(
        referral=referral, kind=kind, summary=summary, actor=actor, occurred_at=at or timezone.now()
    )

"""Where a clock's steps are written for people to read: the owning item's own timeline.

The engine knows clocks, not domains; this is the one place that says which subjects keep a
timeline of their own. Subjects without one keep the engine's escalation records as theirs.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import models

TimelineWriter = Callable[..., None]


def _referral_timeline(*, subject_id: int, kind: str, summary: str, actor: Any, at: datetime) -> None:
    from referrals.models import Referral
    from referrals.timeline import timeline_record

    timeline_record(referral=Referral(pk=subject_id), kind=kind, summary=summary, actor=actor, at=at)


def _decision_timeline(*, subject_id: int, kind: str, summary: str, actor: Any, at: datetime) -> None:
    # A triage decision's clocks (the first response) belong on its referral's timeline.
    from triage.models import TriageDecision

    referral_id = TriageDecision.objects.filter(pk=subject_id).values_list("queue_item__referral_id", flat=True).get()
    _referral_timeline(subject_id=referral_id, kind=kind, summary=summary, actor=actor, at=at)


# "app_label.model" of a subject -> its timeline writer.
WRITERS: dict[str, TimelineWriter] = {
    "referrals.referral": _referral_timeline,
    "triage.triagedecision": _decision_timeline,
}


def timeline_for(model: type[models.Model]) -> TimelineWriter | None:
    return WRITERS.get(model._meta.label_lower)

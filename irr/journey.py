"""The IRR steps of a referral's journey, for its referrer: episode opened, first visit made,
episode closed with its outcome (registered with ``referrals.journey``)."""

from django.db.models import Min, Q

from irr.models import Episode, Visit
from referrals.journey import JourneyStep, register_journey_reader


def opened_label(team) -> str:
    return f"Rapid response episode opened by {team}"


FIRST_VISIT = "First rapid response visit made"


def closed_label(outcome: str) -> str:
    return f"Rapid response episode closed: {Episode.Outcome(outcome).label.lower()}"


@register_journey_reader
def irr_steps(referrals) -> dict[int, list[JourneyStep]]:
    rows = (
        Episode.objects.filter(source_decision__queue_item__referral__in=[referral.pk for referral in referrals])
        .annotate(first_visit=Min("visits__scheduled_for", filter=Q(visits__status=Visit.Status.DONE)))
        .values("source_decision__queue_item__referral_id", "team__name", "opened_at", "first_visit", "closed_at",
                "outcome")
        .order_by()
    )
    steps: dict[int, list[JourneyStep]] = {}
    for row in rows:
        found = steps.setdefault(row["source_decision__queue_item__referral_id"], [])
        found.append(JourneyStep(row["opened_at"], opened_label(row["team__name"])))
        if row["first_visit"]:
            found.append(JourneyStep(row["first_visit"], FIRST_VISIT))
        if row["closed_at"]:
            found.append(JourneyStep(row["closed_at"], closed_label(row["outcome"])))
    return steps

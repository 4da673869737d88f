"""What a referrer may know about a referral they made: where it is, with whom, what happens next.

Tracking facts only: nothing clinical (no notes, no reasons), so a GP practice or a ward sees the
progress of their own patient's referral and nothing else.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

from referrals.models import Referral
from triage.models import QueueItem

# Triage outcome -> the next step as the referrer reads it.
NEXT_STEP_AFTER_TRIAGE = {
    "accept": "Accepted for rapid response: the team will contact the patient",
    "refer_on": "Referred on to another service, which will contact the patient",
    "signpost": "Signposted to another service: no rapid response visit",
    "no_further_action": "No further action by the Care Co-ordination Centre",
}


@dataclass(frozen=True)
class TrackingFacts:
    stage: str  # queued, being_triaged, triaged, withdrawn or returned
    stage_label: str
    queue: str
    team: str
    next_step: str
    received_at: datetime
    triaged_at: datetime | None
    cancellable: bool  # the move table still lets the referrer cancel it (not yet triaged or returned)


def tracking_facts(referral: Referral) -> TrackingFacts:
    """Built from tracked_referral_list's row: its select_related queue and annotated triage outcome."""
    item = referral.queue_item
    queue = item.queue
    team = str(queue.team) if queue.team_id else str(queue)
    outcome = getattr(referral, "triage_outcome", None)
    if item.status == "returned":
        stage, label = "returned", "Returned to you"
        next_step = f"Returned by the duty clinician: {item.get_return_reason_display()}. {item.return_note}"
    elif item.status == "withdrawn":
        stage, label = "withdrawn", "Cancelled"
        next_step = f"Cancelled ({item.handover_reason}): the Care Co-ordination Centre will not act on it"
    elif item.status == "triaged":
        stage, label = "triaged", "Triaged"
        next_step = NEXT_STEP_AFTER_TRIAGE.get(outcome, "Triaged: the team will contact you if they need to")
    elif item.status == "claimed":
        stage, label = "being_triaged", "Being triaged"
        next_step = f"A duty clinician of {team} is triaging it now"
    else:
        stage, label = "queued", "Queued for triage"
        due = date_format(timezone.localtime(item.due_at), "j M Y H:i")
        next_step = f"Waiting in the {queue} for triage, due by {due}"
    return TrackingFacts(
        stage=stage,
        stage_label=label,
        queue=str(queue),
        team=team,
        next_step=next_step,
        received_at=referral.received_at,
        triaged_at=getattr(referral, "triaged_at", None),
        cancellable=QueueItem.TRANSITIONS.allows("withdraw", item.status),
    )

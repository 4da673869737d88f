"""Triage decisions and what each outcome does, and the first response that stops the response clock."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from escalations import services as escalation_services
from referrals.models import TimelineEvent
from referrals.timeline import timeline_record
from triage import selectors
from triage.models import DutyQueue, QueueItem, TriageDecision
from triage.services.claims import _locked, _who_and_when
from triage.services.routing import TRIAGE_CLOCK, _enqueue_notification, _triage_clock_start
from triage.services.urgency import triage_due_at

# The escalation clock on an accepted triage decision waiting for its first response (visit).
RESPONSE_CLOCK = "first_response"


def signposted_service(value: str, directory_service=None) -> str:
    """The one place a signposted service is named: the directory service's name, else free text."""
    return directory_service.name[:200] if directory_service is not None else value.strip()


def _signposting_record(decision: TriageDecision, directory_service, actor: User) -> None:
    """A signpost to a directory service is also the referral's directory signposting."""
    if directory_service is None:
        return
    from directory import services as directory_services

    referral = decision.queue_item.referral
    directory_services.signposting_record(
        service=directory_service, need=referral.need.name, unmet_need=False, actor=actor, referral=referral,
        at=decision.decided_at, idempotency_key=f"triage-decision-{decision.pk}",
    )


def triage_decision_record(
    *,
    item: QueueItem,
    actor: User,
    priority: str,
    outcome: str,
    clinical_note: str,
    note_is_sensitive: bool = False,
    risk_to_self: str = "none",
    risk_to_others: str = "none",
    risk_from_others: str = "none",
    safeguarding_concern: bool = False,
    lone_working_risk: bool = False,
    transfer_to: DutyQueue | None = None,
    referred_to: str = "",
    signposted_to: str = "",
    directory_service=None,
) -> TriageDecision:
    """Record a triage decision and carry out its outcome.

    A transfer puts the same item, with its history, in the other queue to be triaged there;
    every other outcome ends the item's time in triage. Starting the IRR episode itself is
    ``irr.services.episode_open``, from the decision this returns.
    """
    if directory_service is not None and outcome != TriageDecision.Outcome.SIGNPOST:
        raise ValidationError({"directory_service": "Choose a directory service only when signposting"})
    with transaction.atomic():
        locked = _locked(item)
        move = "transfer" if outcome == TriageDecision.Outcome.TRANSFER else "triage"
        status = QueueItem.TRANSITIONS.move(move, locked.status, lambda: _not_claimed(locked))
        if not locked.is_held_by(actor):
            raise Conflict(
                f"Referral {locked.referral.reference} is claimed by {_who_and_when(locked)}: "
                "only they can record its triage decision"
            )
        now = timezone.now()
        decision = TriageDecision(
            queue_item=locked,
            priority=priority,
            outcome=outcome,
            clinical_note=clinical_note.strip(),
            note_is_sensitive=note_is_sensitive,
            risk_to_self=risk_to_self,
            risk_to_others=risk_to_others,
            risk_from_others=risk_from_others,
            safeguarding_concern=safeguarding_concern,
            lone_working_risk=lone_working_risk,
            transfer_to=transfer_to,
            referred_to=referred_to.strip(),
            signposted_to=signposted_service(signposted_to, directory_service),
            decided_by=actor,
            decided_at=now,
        )
        if outcome == TriageDecision.Outcome.ACCEPT:
            # The response clock runs from the decision, at the target for this queue and priority.
            target = selectors.response_target(queue=locked.queue, priority=priority)
            decision.respond_by = now + timedelta(minutes=target.response_minutes) if target else None
        save_as(decision, actor)
        _signposting_record(decision, directory_service, actor)
        summary = f"Triaged by {actor}: {decision.get_priority_display()}, {decision.get_outcome_display()}"
        if outcome == TriageDecision.Outcome.TRANSFER:
            _transfer(locked, status, transfer_to, actor, now, summary, priority)
        else:
            locked.status = status
            locked.triaged(at=now, priority=priority)
            save_as(locked, actor, update_fields=["status", "triaged_at", "triaged_priority"])
            timeline_record(
                referral=locked.referral, kind=TimelineEvent.Kind.TRIAGED, summary=summary, actor=actor, at=now
            )
        escalation_services.clock_stop(
            subject=locked.referral, kind=TRIAGE_CLOCK, actor=actor,
            reason="transferred" if outcome == TriageDecision.Outcome.TRANSFER else "triaged",
        )
        if outcome == TriageDecision.Outcome.TRANSFER:
            _triage_clock_start(locked)  # a new cycle, on the new queue's ladder
        if decision.respond_by:
            _response_clock_start(decision, locked)
    return decision


def _response_clock_start(decision: TriageDecision, item: QueueItem) -> None:
    """The clock on an accepted referral waiting for its first response, on the queue's ladder."""
    escalation_services.clock_start(**response_clock(decision, item), actor=decision.decided_by)


def response_clock(decision: TriageDecision, item: QueueItem) -> dict:
    """What the first-response clock on ``decision`` starts with (the place data generator asks it too)."""
    referral = item.referral
    return {
        "subject": decision, "kind": RESPONSE_CLOCK, "due_at": decision.respond_by, "started_at": decision.decided_at,
        "queue": item.queue,
        "label": f"First response to referral {referral.reference} ({decision.get_priority_display()})",
        "url": reverse("referrals:referral_detail", args=[referral.public_id]),
    }


def _not_claimed(item: QueueItem) -> str:
    """Why no decision can be recorded: it is past triage, or nobody has claimed it."""
    if item.status == QueueItem.Status.TRIAGED:
        return f"Referral {item.referral.reference} has already been triaged"
    return "Claim this referral from the queue before recording a triage decision"


def _transfer(
    item: QueueItem, status: str, queue: DutyQueue, actor: User, now: datetime, summary: str, priority: str
) -> None:
    from_queue = item.queue
    item.queue = queue
    item.status, item.claimed_by, item.claimed_at = status, None, None
    # It waits to be triaged in the new queue: its time to triage runs from this routing.
    item.triaged(at=None, priority="")
    # It waits in the new queue at the priority the transferring clinician gave, due by that queue's target.
    item.prioritise(priority)
    item.routed_at, item.notified_at = now, None
    item.due_at = triage_due_at(queue=queue, urgency=priority, at=now)
    item.handover_reason = f"Transferred from {from_queue}"
    save_as(item, actor)
    timeline_record(
        referral=item.referral, kind=TimelineEvent.Kind.TRANSFERRED,
        summary=f"{summary}: from {from_queue} to {queue}", actor=actor, at=now,
    )
    transaction.on_commit(lambda: _enqueue_notification(item.pk))


def first_response_record(*, decision: TriageDecision, at: datetime, actor: User) -> bool:
    """Stop the response clock at the first visit made or response recorded. Later ones change nothing."""
    with transaction.atomic():
        locked = TriageDecision.objects.select_for_update().select_related("queue_item__referral").get(pk=decision.pk)
        if locked.first_response_at is not None:
            return False
        locked.first_response_at, locked.first_response_by = at, actor
        save_as(locked, actor)
        escalation_services.clock_stop(subject=locked, kind=RESPONSE_CLOCK, actor=actor, reason="first response made")
        late = locked.respond_by is not None and at > locked.respond_by
        timeline_record(
            referral=locked.queue_item.referral, kind=TimelineEvent.Kind.RESPONDED,
            summary=f"First response by {actor}{' (after the target)' if late else ''}", actor=actor, at=at,
        )
    decision.first_response_at, decision.first_response_by = at, actor
    return True

"""Claiming, releasing and reassigning queue items: who holds a referral while it is triaged."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from referrals.models import TimelineEvent
from referrals.timeline import timeline_record
from triage import selectors
from triage.models import QUEUE_ORDER, DutyQueue, QueueItem
from triage.permissions import is_queue_clinician, leads_queue


def _who_and_when(item: QueueItem) -> str:
    when = date_format(timezone.localtime(item.claimed_at), "j M H:i") if item.claimed_at else ""
    return f"{item.claimed_by} at {when}" if item.claimed_by_id else "someone else"


def _locked(item: QueueItem) -> QueueItem:
    return QueueItem.objects.select_for_update(of=("self",)).select_related("referral").get(pk=item.pk)


def queue_item_claim(*, item: QueueItem, actor: User) -> QueueItem:
    """Take an item to triage. Of two clinicians claiming at once, one wins; the other is told who."""
    with transaction.atomic():
        locked = _locked(item)
        if locked.is_held_by(actor):
            return locked  # a double click: it is already yours
        status = QueueItem.TRANSITIONS.move("claim", locked.status, lambda: _taken(locked))
        check_may_claim(queue=locked.queue, clinician=actor, at=timezone.now())
        return _claim(locked, actor, status)


def _taken(item: QueueItem) -> str:
    """Why an item cannot be claimed: someone has it, or it is past triage."""
    if item.status in (QueueItem.Status.TRIAGED, QueueItem.Status.WITHDRAWN):
        return f"Referral {item.referral.reference} has already been {item.get_status_display().lower()}"
    return f"Referral {item.referral.reference} was already claimed by {_who_and_when(item)}"


def check_may_claim(*, queue: DutyQueue, clinician: User, at: datetime) -> None:
    """Only a clinician of the queue's specialty: on duty now, or a lead. A shift with no rota is open to all."""
    if not is_queue_clinician(queue=queue, user=clinician):
        raise PermissionDenied(f"{clinician} is not a clinician of {queue}")
    on_duty = selectors.rota_now(queue=queue, at=at)
    if not on_duty or leads_queue(queue=queue, user=clinician, at=at):
        return
    if all(entry.clinician_id != clinician.pk for entry in on_duty):
        names = ", ".join(str(entry.clinician) for entry in on_duty)
        raise Conflict(f"{clinician} is not on duty for {queue} now: on duty are {names}")


def queue_item_claim_next(*, queue: DutyQueue, actor: User) -> QueueItem | None:
    """Claim the first waiting item in the queue's order (most urgent, then due soonest), passing over
    any another clinician is claiming now."""
    check_may_claim(queue=queue, clinician=actor, at=timezone.now())
    with transaction.atomic():
        item = (
            QueueItem.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("referral")
            .filter(queue=queue, status__in=QueueItem.TRANSITIONS.moves["claim"].sources)
            .order_by(*QUEUE_ORDER)
            .first()
        )
        return _claim(item, actor, QueueItem.TRANSITIONS.move("claim", item.status)) if item else None


def _claim(item: QueueItem, actor: User, status: str) -> QueueItem:
    now = timezone.now()
    item.status = status
    item.claimed_by = actor
    item.claimed_at = now
    save_as(item, actor, update_fields=["status", "claimed_by", "claimed_at"])
    timeline_record(
        referral=item.referral, kind=TimelineEvent.Kind.CLAIMED, summary=f"Claimed by {actor}", actor=actor, at=now
    )
    return item


def queue_item_release(*, item: QueueItem, actor: User, reason: str) -> QueueItem:
    """Put a claimed item back in the queue for someone else, saying why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are releasing this referral"})
    with transaction.atomic():
        locked = _locked(item)

        def not_yours() -> str:
            return f"Referral {locked.referral.reference} is not claimed by you: it is {_state_of(locked)}"

        status = QueueItem.TRANSITIONS.move("release", locked.status, not_yours)
        if not locked.is_held_by(actor):
            raise Conflict(not_yours())
        now = timezone.now()
        locked.status, locked.claimed_by, locked.claimed_at = status, None, None
        locked.handover_reason = reason
        save_as(locked, actor)
        timeline_record(
            referral=locked.referral, kind=TimelineEvent.Kind.RELEASED, summary=f"Released by {actor}: {reason}",
            actor=actor, at=now,
        )
    return locked


def queue_item_reassign(
    *, item: QueueItem, to: User, actor: User, reason: str, expected_holder: User | None
) -> QueueItem:
    """A lead hands an item to another clinician of the queue (who may: ``Action.QUEUE_ITEM_REASSIGN``).

    ``expected_holder`` is who the lead saw holding it (None: it was waiting). If that changed
    in the meantime (a release, a claim, another reassignment) this one loses, so of two
    moves made on the same view exactly one wins.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are reassigning this referral"})
    with transaction.atomic():
        locked = _locked(item)
        now = timezone.now()

        def changed() -> str:
            return f"Referral {locked.referral.reference} changed while you looked: it is {_state_of(locked)}"

        status = QueueItem.TRANSITIONS.move("reassign", locked.status, changed)
        if locked.claimed_by_id != (expected_holder.pk if expected_holder else None):
            raise Conflict(changed())
        if to.pk == locked.claimed_by_id:
            raise ValidationError({"to": f"{to} already has this referral"})
        try:
            check_may_claim(queue=locked.queue, clinician=to, at=now)
        except (PermissionDenied, Conflict) as error:
            raise ValidationError({"to": str(error)}) from None
        locked.status, locked.claimed_by, locked.claimed_at = status, to, now
        locked.handover_reason = reason
        save_as(locked, actor)
        timeline_record(
            referral=locked.referral, kind=TimelineEvent.Kind.REASSIGNED,
            summary=f"Reassigned to {to} by {actor}: {reason}", actor=actor, at=now,
        )
    return locked


def _state_of(item: QueueItem) -> str:
    if item.status == QueueItem.Status.CLAIMED:
        return f"claimed by {_who_and_when(item)}"
    return item.get_status_display().lower()

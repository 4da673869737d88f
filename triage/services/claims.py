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
from triage.models import DutyQueue, QueueItem


def _who_and_when(item: QueueItem) -> str:
    when = date_format(timezone.localtime(item.claimed_at), "j M H:i") if item.claimed_at else ""
    return f"{item.claimed_by} at {when}" if item.claimed_by_id else "someone else"


def _locked(item: QueueItem) -> QueueItem:
    return QueueItem.objects.select_for_update(of=("self",)).select_related("referral").get(pk=item.pk)


def queue_item_claim(*, item: QueueItem, user: User) -> QueueItem:
    """Take an item to triage. Of two clinicians claiming at once, one wins; the other is told who."""
    with transaction.atomic():
        locked = _locked(item)
        if locked.status == QueueItem.Status.CLAIMED and locked.claimed_by_id == user.pk:
            return locked  # a double click: it is already yours
        if locked.status == QueueItem.Status.CLAIMED:
            raise Conflict(f"Referral {locked.referral.reference} was already claimed by {_who_and_when(locked)}")
        if locked.status == QueueItem.Status.TRIAGED:
            raise Conflict(f"Referral {locked.referral.reference} has already been triaged")
        check_may_claim(queue=locked.queue, user=user, at=timezone.now())
        return _claim(locked, user)


def check_may_claim(*, queue: DutyQueue, user: User, at: datetime) -> None:
    """Only a clinician of the queue's specialty: on duty now, or a lead. A shift with no rota is open to all."""
    if not selectors.is_queue_clinician(queue=queue, user=user):
        raise PermissionDenied(f"{user} is not a clinician of {queue}")
    on_duty = selectors.rota_now(queue=queue, at=at)
    if not on_duty or selectors.leads_queue(queue=queue, user=user, at=at):
        return
    if all(entry.clinician_id != user.pk for entry in on_duty):
        names = ", ".join(str(entry.clinician) for entry in on_duty)
        raise Conflict(f"{user} is not on duty for {queue} now: on duty are {names}")


def queue_item_claim_next(*, queue: DutyQueue, user: User) -> QueueItem | None:
    """Claim the waiting item due soonest, passing over any another clinician is claiming now."""
    check_may_claim(queue=queue, user=user, at=timezone.now())
    with transaction.atomic():
        item = (
            QueueItem.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("referral")
            .filter(queue=queue, status=QueueItem.Status.WAITING)
            .order_by("due_at", "pk")
            .first()
        )
        return _claim(item, user) if item else None


def _claim(item: QueueItem, user: User) -> QueueItem:
    now = timezone.now()
    item.status = QueueItem.Status.CLAIMED
    item.claimed_by = user
    item.claimed_at = now
    save_as(item, user)
    timeline_record(
        referral=item.referral, kind=TimelineEvent.Kind.CLAIMED, summary=f"Claimed by {user}", actor=user, at=now
    )
    return item


def queue_item_release(*, item: QueueItem, user: User, reason: str) -> QueueItem:
    """Put a claimed item back in the queue for someone else, saying why."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are releasing this referral"})
    with transaction.atomic():
        locked = _locked(item)
        if locked.status not in QueueItem.TRANSITIONS["release"] or locked.claimed_by_id != user.pk:
            raise Conflict(f"Referral {locked.referral.reference} is not claimed by you: it is {_state_of(locked)}")
        now = timezone.now()
        locked.status, locked.claimed_by, locked.claimed_at = QueueItem.Status.WAITING, None, None
        locked.handover_reason = reason
        save_as(locked, user)
        timeline_record(
            referral=locked.referral, kind=TimelineEvent.Kind.RELEASED, summary=f"Released by {user}: {reason}",
            actor=user, at=now,
        )
    return locked


def queue_item_reassign(
    *, item: QueueItem, to: User, by: User, reason: str, expected_holder: User | None
) -> QueueItem:
    """A lead hands an item to another clinician of the queue.

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
        if not selectors.leads_queue(queue=locked.queue, user=by, at=now):
            raise PermissionDenied("Only the team lead or the duty lead can reassign")
        expected_id = expected_holder.pk if expected_holder else None
        if locked.status not in QueueItem.TRANSITIONS["reassign"] | QueueItem.TRANSITIONS["claim"] or (
            locked.claimed_by_id != expected_id
        ):
            raise Conflict(f"Referral {locked.referral.reference} changed while you looked: it is {_state_of(locked)}")
        if to.pk == locked.claimed_by_id:
            raise ValidationError({"to": f"{to} already has this referral"})
        try:
            check_may_claim(queue=locked.queue, user=to, at=now)
        except (PermissionDenied, Conflict) as error:
            raise ValidationError({"to": str(error)}) from None
        locked.status, locked.claimed_by, locked.claimed_at = QueueItem.Status.CLAIMED, to, now
        locked.handover_reason = reason
        save_as(locked, by)
        timeline_record(
            referral=locked.referral, kind=TimelineEvent.Kind.REASSIGNED,
            summary=f"Reassigned to {to} by {by}: {reason}", actor=by, at=now,
        )
    return locked


def _state_of(item: QueueItem) -> str:
    if item.status == QueueItem.Status.CLAIMED:
        return f"claimed by {_who_and_when(item)}"
    return item.get_status_display().lower()

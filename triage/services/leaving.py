"""A referral leaves the duty queue untriaged: the referrer cancels it (withdrawn), or the clinician holding it
returns it to the referrer. Either way its triage clock stops."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from escalations import services as escalation_services
from referrals.models import Referral, TimelineEvent
from referrals.timeline import timeline_record
from triage.models import QueueItem
from triage.services.routing import TRIAGE_CLOCK


def referral_cancel(*, referral: Referral, actor: User, reason: str) -> tuple[QueueItem, bool]:
    """The referrer cancels their referral before it is triaged: its queue item is withdrawn for good,
    saying who and why. The page, the API and a FHIR cancellation all come here.

    Answers the item and whether this call cancelled it: a second cancellation of one already
    withdrawn (a double submit, two tabs) changes nothing, so there is only ever one. A clinician
    holding it is told in their notifications. Once triaged
    or returned it is not the referrer's to cancel: the move table refuses it, as it refuses a
    triage saved after the cancellation by a clinician who had it open.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the referral is cancelled"})
    with transaction.atomic():
        locked = QueueItem.objects.select_for_update(of=("self",)).select_related("referral").get(referral=referral)
        if locked.status == QueueItem.Status.WITHDRAWN:
            return locked, False  # the first of two submissions got there: nothing more to do
        holder = locked.claimed_by if locked.status == QueueItem.Status.CLAIMED else None
        locked.status = QueueItem.TRANSITIONS.move(
            "withdraw", locked.status,
            lambda: f"Referral {locked.referral.reference} has already been {locked.get_status_display().lower()}",
        )
        locked.handover_reason = reason[:500]
        save_as(locked, actor)
        timeline_record(
            referral=locked.referral, kind=TimelineEvent.Kind.WITHDRAWN,
            summary=f"Cancelled by {actor}: {reason}"[:500], actor=actor, at=timezone.now(),
        )
        escalation_services.clock_stop(subject=locked.referral, kind=TRIAGE_CLOCK, actor=actor, reason="withdrawn")
        if holder is not None:  # they may be on the phone about it now: tell them before they triage it
            escalation_services.notification_send(
                recipients=[holder], topic=f"cancelled-{locked.referral_id}",
                message=f"Referral {locked.referral.reference} was cancelled by its referrer: {reason}",
                url=reverse("referrals:referral_detail", args=[locked.referral.public_id]),
            )
    return locked, True


def queue_item_return(*, item: QueueItem, actor: User, reason: str, note: str) -> QueueItem:
    """The clinician holding an item sends it back to the referrer with a reason they can act on.

    It leaves the queue and its triage clock stops; the referrer sees the reason and the note on
    their tracking page and may send the referral again, corrected, as a new referral.
    """
    note = note.strip()
    if reason not in QueueItem.ReturnReason.values:
        raise ValidationError({"reason": "Choose why you are returning it"})
    if not note:
        raise ValidationError({"note": "Tell the referrer what is wrong or what to add, so they can send it again"})
    with transaction.atomic():
        locked = QueueItem.objects.select_for_update(of=("self",)).select_related("referral").get(pk=item.pk)

        def not_yours() -> str:
            return f"Referral {locked.referral.reference} is not claimed by you: it is {locked.get_status_display().lower()}"

        status = QueueItem.TRANSITIONS.move("return_to_referrer", locked.status, not_yours)
        if not locked.is_held_by(actor):
            raise Conflict(not_yours())
        locked.status, locked.return_reason, locked.return_note = status, reason, note
        save_as(locked, actor)
        timeline_record(
            referral=locked.referral, kind=TimelineEvent.Kind.RETURNED,
            summary=f"Returned by {actor}: {locked.get_return_reason_display()}: {note}"[:500], actor=actor,
            at=timezone.now(),
        )
        escalation_services.clock_stop(subject=locked.referral, kind=TRIAGE_CLOCK, actor=actor, reason="returned")
    return locked

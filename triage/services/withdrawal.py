"""The referrer withdraws a referral not yet triaged: it leaves the duty queue and its clock stops."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.models import User
from escalations import services as escalation_services
from referrals.models import TimelineEvent
from referrals.timeline import timeline_record
from triage.models import QueueItem
from triage.services.routing import TRIAGE_CLOCK


def queue_item_withdraw(*, item: QueueItem, actor: User, reason: str) -> QueueItem:
    """Take a waiting or claimed item out of its queue for good, saying why.

    Once triaged it is the team's to close, not the referrer's: the move table refuses it, as it
    refuses a triage saved after the withdrawal by a clinician who had it open.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the referral is withdrawn"})
    with transaction.atomic():
        locked = QueueItem.objects.select_for_update(of=("self",)).select_related("referral").get(pk=item.pk)
        locked.status = QueueItem.TRANSITIONS.move(
            "withdraw", locked.status,
            lambda: f"Referral {locked.referral.reference} has already been {locked.get_status_display().lower()}",
        )
        locked.handover_reason = reason[:500]
        save_as(locked, actor)
        timeline_record(
            referral=locked.referral, kind=TimelineEvent.Kind.WITHDRAWN,
            summary=f"Withdrawn by {actor}: {reason}"[:500], actor=actor, at=timezone.now(),
        )
        escalation_services.clock_stop(subject=locked.referral, kind=TRIAGE_CLOCK, actor=actor, reason="withdrawn")
    return locked

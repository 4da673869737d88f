"""How urgent a referral is: the red-flag screen at intake, the due time the queue's targets give
each urgency, and a clinician's change of urgency with a reason."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from escalations import services as escalation_services
from referrals.models import NeedCategory, TimelineEvent
from referrals.timeline import timeline_record
from triage.models import PRIORITY_RANK, DutyQueue, Priority, QueueItem, RedFlagQuestion, ResponseTarget
from triage.permissions import is_queue_clinician
from triage.services.claims import _locked
from triage.services.routing import TRIAGE_CLOCK

URGENCY_CHOICES = ", ".join(Priority.values)


def check_urgency(urgency: str) -> None:
    if urgency not in Priority.values:
        raise ValidationError({"urgency": f"Choose an urgency: one of {URGENCY_CHOICES}"})


def urgency_screen(
    *, need: NeedCategory, urgency: str = "", red_flags: Sequence[RedFlagQuestion] = ()
) -> tuple[str, list[dict]]:
    """The urgency the screen makes, and its "yes" answers as asked.

    The most urgent of the urgency chosen and every red flag answered yes; routine when there is
    neither. A chosen urgency never lowers what a red flag says. A question not on the need's
    screen (another need's, or one switched off) is refused rather than ignored.
    """
    if urgency:
        check_urgency(urgency)
    for flag in red_flags:
        if flag.need_id != need.pk or not flag.is_active:
            raise ValidationError({"red_flags": f"“{flag.question}” is not on the red-flag screen for {need}"})
    levels = [flag.urgency for flag in red_flags] + ([urgency] if urgency else [])
    found = min(levels, key=PRIORITY_RANK.__getitem__, default=Priority.ROUTINE)
    answers = [{"question": flag.question, "urgency": flag.urgency} for flag in red_flags]
    return str(found), answers


def triage_due_at(*, queue: DutyQueue, urgency: str, at: datetime) -> datetime:
    """When a referral of ``urgency`` routed to ``queue`` at ``at`` must be triaged: the queue's
    target for that urgency, else the queue's triage target. Read with the routing when it was
    (``route_for``'s ``triage_minutes_known``)."""
    known = getattr(queue, "triage_minutes_known", {})
    if urgency in known:
        minutes = known[urgency]
    else:
        minutes = (
            ResponseTarget.objects.filter(queue=queue, priority=urgency, triage_minutes__isnull=False)
            .values_list("triage_minutes", flat=True)
            .first()
        )
    return at + (timedelta(minutes=minutes) if minutes is not None else queue.triage_target)


def queue_item_urgency_change(
    *, item: QueueItem, actor: User, urgency: str, reason: str, expected_urgency: str | None = None
) -> QueueItem:
    """A clinician of the queue changes how urgent an open item is, saying why.

    The due time is the queue's target for the new urgency counted from when the item was routed
    here (the wait so far counts), the triage clock moves with it, and the queue re-sorts.
    ``expected_urgency`` is the urgency the clinician saw: if someone changed it meanwhile, this
    change loses (Conflict), so of two changes made on the same view exactly one wins.
    """
    check_urgency(urgency)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are changing the urgency"})
    with transaction.atomic():
        locked = _locked(item)
        QueueItem.TRANSITIONS.move(
            "prioritise", locked.status,
            lambda: f"Referral {locked.referral.reference} has already been triaged: its decision records the priority",
        )
        if not is_queue_clinician(queue=locked.queue, user=actor):
            raise PermissionDenied(f"{actor} is not a clinician of {locked.queue}")
        if expected_urgency and locked.urgency != expected_urgency:
            raise Conflict(
                f"The urgency of referral {locked.referral.reference} changed while you looked: "
                f"it is now {locked.get_urgency_display().lower()}"
            )
        if locked.urgency == urgency:
            raise ValidationError({"urgency": f"It is already {locked.get_urgency_display().lower()}: choose another"})
        was = locked.get_urgency_display()
        locked.prioritise(urgency)
        locked.due_at = triage_due_at(queue=locked.queue, urgency=urgency, at=locked.routed_at)
        locked.urgency_reason = reason[:500]
        save_as(locked, actor)
        due = date_format(timezone.localtime(locked.due_at), "j M H:i")
        timeline_record(
            referral=locked.referral, kind=TimelineEvent.Kind.URGENCY_CHANGED, actor=actor, at=timezone.now(),
            summary=f"Urgency changed from {was} to {locked.get_urgency_display()} by {actor}: {reason}; "
            f"due for triage by {due}"[:500],
        )
        escalation_services.clock_reschedule(
            subject=locked.referral, kind=TRIAGE_CLOCK, due_at=locked.due_at, actor=actor
        )
    return locked

"""Writes for duty triage: routing, claiming, triage decisions and telling a queue it has work."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from kombu.exceptions import OperationalError as BrokerError

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from escalations import services as escalation_services
from referrals.models import NeedCategory, Referral, TimelineEvent
from referrals.timeline import timeline_record
from triage.models import DutyQueue, OutOfHoursDate, OutOfHoursPeriod, QueueItem, RoutingRule, TriageDecision

logger = logging.getLogger(__name__)
# The escalation clock on a referral waiting for its triage decision.
TRIAGE_CLOCK = "triage"


def route_for(need: NeedCategory, *, at: datetime | None = None) -> tuple[DutyQueue, str]:
    """The duty queue a referral for ``need`` goes to at ``at`` (default now), and a sentence saying why."""
    rule = RoutingRule.objects.select_related("queue", "fallback_queue").filter(need=need).first()
    if rule is None:
        raise ValidationError(
            {"need": f"No duty queue takes “{need}” yet: ask an administrator to add a routing rule for it"}
        )
    note = ""
    if not rule.queue.has_out_of_hours_cover and is_out_of_hours(at or timezone.now()):
        out_of_hours = DutyQueue.objects.filter(is_out_of_hours_queue=True).first()
        if out_of_hours and out_of_hours.is_active:
            return out_of_hours, f"Routed to {out_of_hours} for {need} (out of hours: {rule.queue} has no cover)"
        # No out-of-hours service to send it to: the daytime rules decide, and the timeline says why.
        note = "; out of hours, but the out-of-hours queue is " + ("switched off" if out_of_hours else "not set up")
    if rule.queue.is_active:
        return rule.queue, f"Routed to {rule.queue} for {need}" + (f" ({note[2:]})" if note else "")
    fallback = rule.fallback_queue
    if fallback and fallback.is_active:
        return fallback, f"Routed to {fallback} for {need} ({rule.queue} is switched off{note})"
    raise ValidationError(
        {"need": f"{rule.queue} is switched off and has no fallback queue switched on{note}: ask an administrator"}
    )


def is_out_of_hours(at: datetime) -> bool:
    """Whether ``at`` falls in an out-of-hours period or on an out-of-hours date, in UK local time."""
    local = timezone.localtime(at)
    if OutOfHoursDate.objects.filter(date=local.date()).exists():
        return True
    # A handful of rows: checked in Python, where wall-clock times across midnight are plain.
    return any(period.covers(local) for period in OutOfHoursPeriod.objects.all())


def queue_item_create(*, referral: Referral, queue: DutyQueue, routed_at: datetime, summary: str) -> QueueItem:
    item = QueueItem(referral=referral, queue=queue, routed_at=routed_at, due_at=routed_at + queue.triage_target)
    save_as(item, referral.received_by)
    timeline_record(referral=referral, kind=TimelineEvent.Kind.ROUTED, summary=summary, at=routed_at)
    escalation_services.clock_start(
        subject=referral, kind=TRIAGE_CLOCK, due_at=item.due_at, started_at=routed_at, queue=queue,
        label=f"Referral {referral.reference} ({referral.need}) in {queue}",
        url=reverse("referrals:referral_detail", args=[referral.public_id]),
    )
    transaction.on_commit(lambda: _enqueue_notification(item.pk))
    return item


def _enqueue_notification(item_id: int) -> None:
    from triage.tasks import notify_queue_item

    try:
        notify_queue_item.apply_async(args=[item_id], retry=False)
    except (BrokerError, OSError):
        # The referral is saved; the periodic sweep sends what could not be queued now.
        logger.warning("Broker unavailable: queue item %s will be notified by the sweep", item_id)


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
        return _claim(locked, user)


def queue_item_claim_next(*, queue: DutyQueue, user: User) -> QueueItem | None:
    """Claim the waiting item due soonest, passing over any another clinician is claiming now."""
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


def triage_decision_record(
    *, item: QueueItem, user: User, priority: str, outcome: str, clinical_note: str
) -> TriageDecision:
    with transaction.atomic():
        locked = _locked(item)
        if locked.status == QueueItem.Status.TRIAGED:
            raise Conflict(f"Referral {locked.referral.reference} has already been triaged")
        if locked.status != QueueItem.Status.CLAIMED:
            raise Conflict("Claim this referral from the queue before recording a triage decision")
        if locked.claimed_by_id != user.pk:
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
            decided_by=user,
            decided_at=now,
        )
        save_as(decision, user)
        locked.status = QueueItem.Status.TRIAGED
        save_as(locked, user)
        timeline_record(
            referral=locked.referral,
            kind=TimelineEvent.Kind.TRIAGED,
            summary=f"Triaged by {user}: {decision.get_priority_display()}, {decision.get_outcome_display()}",
            actor=user,
            at=now,
        )
        escalation_services.clock_stop(subject=locked.referral, kind=TRIAGE_CLOCK, actor=user, reason="triaged")
    return decision


def queue_item_notify(*, item_id: int) -> bool:
    """Tell the queue's clinicians a referral is waiting. Does it once, however often it is asked."""
    with transaction.atomic():
        now = timezone.now()
        # Another worker or the sweep may have got there first: only one update wins.
        won = QueueItem.objects.filter(pk=item_id, notified_at__isnull=True).update(notified_at=now)
        if not won:
            return False
        item = QueueItem.objects.select_related("queue", "referral__need").get(pk=item_id)
        recipients = [email for email in item.queue.clinicians.values_list("email", flat=True) if email]
        if recipients:
            # No patient details in e-mail: the link is enough for someone who may see it.
            send_mail(
                subject=f"New referral in {item.queue}",
                message=(
                    f"Referral {item.referral.reference} ({item.referral.need}) is waiting in {item.queue}, "
                    f"due for triage by {date_format(timezone.localtime(item.due_at), 'j M H:i')}."
                ),
                from_email=None,
                recipient_list=recipients,
            )
        timeline_record(
            referral=item.referral,
            kind=TimelineEvent.Kind.NOTIFIED,
            summary=f"{item.queue} notified ({len(recipients)} on its list)",
            at=now,
        )
    return True


def notify_pending_queue_items(*, now: datetime | None = None) -> int:
    """Notify items whose notification never ran (the broker was down, a worker died)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.CCC_NOTIFY_GRACE_SECONDS)
    pending = QueueItem.objects.filter(notified_at__isnull=True, routed_at__lte=cutoff).values_list("pk", flat=True)
    return sum(queue_item_notify(item_id=item_id) for item_id in pending[:500])

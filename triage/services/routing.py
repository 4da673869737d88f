"""Routing a referral to its duty queue, and telling the queue it has work."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Subquery, TimeField, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ccc.audit import known_related, save_as, update_as
from ccc.dispatch import dispatch
from escalations import services as escalation_services
from referrals.models import NeedCategory, Referral, TimelineEvent
from referrals.timeline import timeline_record
from triage.models import (
    DutyQueue,
    OutOfHoursDate,
    OutOfHoursPeriod,
    Priority,
    QueueItem,
    ResponseTarget,
    RoutingRule,
)

# The escalation clock on a referral waiting for its triage decision.
TRIAGE_CLOCK = "triage"


def route_for(need: NeedCategory, *, at: datetime | None = None, urgency: str = "") -> tuple[DutyQueue, str]:
    """The duty queue a referral for ``need`` goes to at ``at`` (default now), and a sentence saying why.

    Given the referral's ``urgency``, the rule's queues come with their triage target for it, read
    with the rule, so the due time (``triage_due_at``) needs no query of its own.
    """
    rules = RoutingRule.objects.select_related("queue", "fallback_queue").filter(need=need)
    if urgency:
        rules = rules.annotate(
            queue_minutes=_triage_minutes("queue", urgency), fallback_minutes=_triage_minutes("fallback_queue", urgency)
        )
    rule = rules.first()
    if rule is None:
        raise ValidationError(
            {"need": f"No duty queue takes “{need}” yet: ask an administrator to add a routing rule for it"}
        )
    if urgency:
        rule.queue.triage_minutes_known = {urgency: rule.queue_minutes}
        if rule.fallback_queue:
            rule.fallback_queue.triage_minutes_known = {urgency: rule.fallback_minutes}
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
    # One query: the date, if it is an out-of-hours date, as a row with no weekday, then the weekly periods.
    no_time = Value(None, output_field=TimeField())
    holiday = OutOfHoursDate.objects.filter(date=local.date()).order_by().values_list(
        Value(None, output_field=IntegerField()), no_time, no_time
    )
    rows = list(OutOfHoursPeriod.objects.order_by().values_list("weekday", "starts", "ends").union(holiday, all=True))
    return out_of_hours_in(
        at,
        dates={local.date()} if any(weekday is None for weekday, _, _ in rows) else set(),
        periods=[OutOfHoursPeriod(weekday=weekday, starts=starts, ends=ends) for weekday, starts, ends in rows
                 if weekday is not None],
    )


def out_of_hours_in(at: datetime, *, dates, periods) -> bool:
    """The out-of-hours rule over dates and periods already read: ``is_out_of_hours`` reads them for one
    moment, the place data generator once for many."""
    local = timezone.localtime(at)
    # A handful of rows: checked in Python, where wall-clock times across midnight are plain.
    return local.date() in dates or any(period.covers(local) for period in periods)


def _triage_minutes(queue_field: str, urgency: str) -> Subquery:
    return Subquery(
        ResponseTarget.objects.filter(queue=OuterRef(queue_field), priority=urgency).order_by().values("triage_minutes")[:1]
    )


def queue_item_create(
    *, referral: Referral, queue: DutyQueue, routed_at: datetime, urgency: str = Priority.ROUTINE
) -> QueueItem:
    """Put a referral made in this transaction in its queue at ``urgency``: due by the queue's target
    for it, its clock running at once, no triage decisions yet. The caller records the routing on
    the referral's timeline with its receipt (``timeline_begin``)."""
    from triage.services.urgency import triage_due_at

    item = QueueItem(referral=referral, queue=queue, routed_at=routed_at)
    item.prioritise(urgency)
    item.due_at = triage_due_at(queue=queue, urgency=urgency, at=routed_at)
    # The referral was made in this transaction: it exists, and nothing else has queued it yet.
    save_as(item, referral.received_by, checked=["referral"])
    known_related(item, "decisions", [])
    _triage_clock_start(item, new_subject=True)
    transaction.on_commit(lambda: _enqueue_notification(item.pk))
    return item


def _triage_clock_start(item: QueueItem, *, new_subject: bool = False) -> None:
    """The clock on a referral waiting for triage in its queue: due at the item's due time."""
    escalation_services.clock_start(**triage_clock(item), new_subject=new_subject)


def triage_clock(item: QueueItem) -> dict:
    """What the triage clock on ``item``'s referral starts with (the place data generator asks it too)."""
    referral = item.referral
    return {
        "subject": referral, "kind": TRIAGE_CLOCK, "due_at": item.due_at, "started_at": item.routed_at,
        "queue": item.queue, "label": f"Referral {referral.reference} ({referral.need}) in {item.queue}",
        "url": reverse("referrals:referral_detail", args=[referral.public_id]),
    }


def _enqueue_notification(item_id: int) -> None:
    """Hand the notification to the broker off the request's path: a broker that is down costs intake nothing,
    and the sweep sends what was not sent (the item keeps ``notified_at`` empty until it is)."""
    from triage.tasks import notify_queue_item

    dispatch(notify_queue_item, item_id)


def queue_item_notify(*, item_id: int) -> bool:
    """Tell the queue's clinicians a referral is waiting. Does it once, however often it is asked."""
    with transaction.atomic():
        now = timezone.now()
        # Another worker or the sweep may have got there first: only one wins. The row lock makes the
        # others wait, and PostgreSQL reads "still empty" again once it is free, so they find nothing.
        # update_as keeps a history row of the change (no user: the system did it).
        unnotified = QueueItem.objects.select_for_update().filter(pk=item_id, notified_at__isnull=True)
        won = update_as(unnotified, None, notified_at=now)
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

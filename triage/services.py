"""Writes for duty triage: routing, claiming, triage decisions and telling a queue it has work."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from kombu.exceptions import OperationalError as BrokerError

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from ccc.permissions import is_clinical
from escalations import services as escalation_services
from referrals.models import NeedCategory, Referral, TimelineEvent
from referrals.timeline import timeline_record
from triage import selectors
from triage.models import (
    DutyQueue,
    OutOfHoursDate,
    OutOfHoursPeriod,
    QueueItem,
    RotaEntry,
    RoutingRule,
    SensitiveNoteView,
    Shift,
    TriageDecision,
)

logger = logging.getLogger(__name__)
# The escalation clock on a referral waiting for its triage decision.
TRIAGE_CLOCK = "triage"
# The escalation clock on an accepted triage decision waiting for its first response (visit).
RESPONSE_CLOCK = "first_response"


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
    _triage_clock_start(item)
    transaction.on_commit(lambda: _enqueue_notification(item.pk))
    return item


def _triage_clock_start(item: QueueItem) -> None:
    """The clock on a referral waiting for triage in its queue: due at the item's due time."""
    referral = item.referral
    escalation_services.clock_start(
        subject=referral, kind=TRIAGE_CLOCK, due_at=item.due_at, started_at=item.routed_at, queue=item.queue,
        label=f"Referral {referral.reference} ({referral.need}) in {item.queue}",
        url=reverse("referrals:referral_detail", args=[referral.public_id]),
    )


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


def signposted_service(value: str, directory_service=None) -> str:
    """The one place a signposted service is named: the directory service's name, else free text."""
    return directory_service.name[:200] if directory_service is not None else value.strip()


def _signposting_record(decision: TriageDecision, directory_service, user: User) -> None:
    """A signpost to a directory service is also the referral's directory signposting."""
    if directory_service is None:
        return
    from directory import services as directory_services

    referral = decision.queue_item.referral
    directory_services.signposting_record(
        service=directory_service, need=referral.need.name, unmet_need=False, actor=user, referral=referral,
        at=decision.decided_at, idempotency_key=f"triage-decision-{decision.pk}",
    )


def triage_decision_record(
    *,
    item: QueueItem,
    user: User,
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
            note_is_sensitive=note_is_sensitive,
            risk_to_self=risk_to_self,
            risk_to_others=risk_to_others,
            risk_from_others=risk_from_others,
            safeguarding_concern=safeguarding_concern,
            lone_working_risk=lone_working_risk,
            transfer_to=transfer_to,
            referred_to=referred_to.strip(),
            signposted_to=signposted_service(signposted_to, directory_service),
            decided_by=user,
            decided_at=now,
        )
        if outcome == TriageDecision.Outcome.ACCEPT:
            # The response clock runs from the decision, at the target for this queue and priority.
            target = selectors.response_target(queue=locked.queue, priority=priority)
            decision.respond_by = now + timedelta(minutes=target.response_minutes) if target else None
        save_as(decision, user)
        _signposting_record(decision, directory_service, user)
        summary = f"Triaged by {user}: {decision.get_priority_display()}, {decision.get_outcome_display()}"
        if outcome == TriageDecision.Outcome.TRANSFER:
            _transfer(locked, transfer_to, user, now, summary)
        else:
            locked.status = QueueItem.Status.TRIAGED
            save_as(locked, user)
            timeline_record(
                referral=locked.referral, kind=TimelineEvent.Kind.TRIAGED, summary=summary, actor=user, at=now
            )
        escalation_services.clock_stop(
            subject=locked.referral, kind=TRIAGE_CLOCK, actor=user,
            reason="transferred" if outcome == TriageDecision.Outcome.TRANSFER else "triaged",
        )
        if outcome == TriageDecision.Outcome.TRANSFER:
            _triage_clock_start(locked)  # a new cycle, on the new queue's ladder
        if decision.respond_by:
            _response_clock_start(decision, locked)
    return decision


def _response_clock_start(decision: TriageDecision, item: QueueItem) -> None:
    """The clock on an accepted referral waiting for its first response, on the queue's ladder."""
    referral = item.referral
    escalation_services.clock_start(
        subject=decision, kind=RESPONSE_CLOCK, due_at=decision.respond_by, started_at=decision.decided_at,
        queue=item.queue, actor=decision.decided_by,
        label=f"First response to referral {referral.reference} ({decision.get_priority_display()})",
        url=reverse("referrals:referral_detail", args=[referral.public_id]),
    )


def _transfer(item: QueueItem, queue: DutyQueue, user: User, now: datetime, summary: str) -> None:
    from_queue = item.queue
    item.queue = queue
    item.status, item.claimed_by, item.claimed_at = QueueItem.Status.WAITING, None, None
    item.routed_at, item.due_at, item.notified_at = now, now + queue.triage_target, None
    item.handover_reason = f"Transferred from {from_queue}"
    save_as(item, user)
    timeline_record(
        referral=item.referral, kind=TimelineEvent.Kind.TRANSFERRED,
        summary=f"{summary}: from {from_queue} to {queue}", actor=user, at=now,
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


def sensitive_note_read(*, decision: TriageDecision, reader: User, channel: str = "web") -> str | None:
    """A triage note as ``reader`` may see it; each reading of a sensitive note is logged. None: withheld."""
    if not decision.note_is_sensitive:
        return decision.clinical_note
    if not is_clinical(reader):  # FIXME(issue 12): an action in the permission module
        return None
    SensitiveNoteView.objects.create(decision=decision, viewed_by=reader, viewed_at=timezone.now(), channel=channel)
    return decision.clinical_note


def rota_entry_set(
    *, queue: DutyQueue, shift: Shift, date, clinician: User, set_by: User, is_lead: bool = False
) -> RotaEntry:
    """Put a clinician of the queue on duty for a shift; making one the duty lead stands the last one down."""
    from ccc.permissions import Action, can

    if not can(set_by, Action.ROTA_MANAGE, queue):
        raise PermissionDenied(f"Only a team lead of {queue} sets its rota")
    if not selectors.is_queue_clinician(queue=queue, user=clinician):
        raise ValidationError({"clinician": f"{clinician} is not a clinician of {queue}"})
    if not shift.runs_on(date):
        raise ValidationError({"date": f"The {shift.name.lower()} shift does not run on {date:%A}"})
    with transaction.atomic():
        # One lead per shift: lock the queue so two changes to its rota run one after the other
        # (locking the shift's rows alone would not stop two first entries).
        DutyQueue.objects.select_for_update().filter(pk=queue.pk).first()
        rota = list(RotaEntry.objects.filter(queue=queue, shift=shift, date=date))
        if is_lead:
            for other in rota:
                if other.is_lead and other.clinician_id != clinician.pk:
                    other.is_lead = False
                    save_as(other, set_by)
        entry = next((e for e in rota if e.clinician_id == clinician.pk), None) or RotaEntry(
            queue=queue, shift=shift, date=date, clinician=clinician, set_by=set_by
        )
        entry.is_lead, entry.set_by = is_lead, set_by
        save_as(entry, set_by)
    return entry


def shifts_standard_ensure() -> None:
    """Add any standard shift that is missing; never changes one an administrator has edited."""
    from triage.models import STANDARD_SHIFTS

    for code, name, starts, ends, days in STANDARD_SHIFTS:
        Shift.objects.get_or_create(code=code, defaults={"name": name, "starts": starts, "ends": ends, "days": days})


def rota_entry_remove(*, entry: RotaEntry, removed_by: User) -> None:
    """Take someone off a shift. The rota is planning, not a clinical record: its history keeps it."""
    entry._history_user = removed_by
    entry.delete()


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

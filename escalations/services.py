"""Writes for the escalation engine: start and stop clocks, fire what is due, acknowledge, read.

Exactly once in effect: the poller takes one due clock at a time under a row lock that other
pollers skip, writes every step the clock owes (escalation rows, notifications, timeline) in
the same transaction as the clock's new state, and each step has a unique (clock, rung, cycle).
A worker killed mid-run loses its transaction; the next run fires the same steps once.

No poison pill: each clock fires in a savepoint. One whose firing raises is rolled back alone,
marked with its error and retried with back-off, and administrators are told; the sweep goes
on to the clocks due after it.
"""

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ccc.audit import save_as, update_as
from ccc.exceptions import Conflict
from ccc.models import User
from ccc.permissions import Action, require, roles_granted
from escalations import subjects
from escalations.models import Clock, Escalation, EscalationLadder, EscalationRung, Notification

logger = logging.getLogger(__name__)

DEFAULT_WARN_PERCENT = 75
# Timeline kinds, shared with referrals.models.TimelineEvent.Kind.
WARNED, ESCALATED, ACKNOWLEDGED, DE_ESCALATED = "warned", "escalated", "acknowledged", "de_escalated"
SUMMARY_LENGTH = Escalation._meta.get_field("summary").max_length
# A failing clock waits 1, 2, 4 ... minutes between attempts, never more than this.
RETRY_AT_MOST = timedelta(hours=1)


def local(at: datetime) -> str:
    return date_format(timezone.localtime(at), "j M H:i")


def ladder_for(queue) -> EscalationLadder | None:
    """The queue's own ladder, or the default one."""
    own = EscalationLadder.objects.filter(queue=queue).first() if queue is not None else None
    return own or EscalationLadder.objects.filter(queue__isnull=True).first()


def _rungs(ladder: EscalationLadder | None) -> list[EscalationRung]:
    return list(ladder.rungs.order_by("position").prefetch_related("named_users")) if ladder else []


def _next_action(clock: Clock) -> datetime | None:
    pending = [clock.next_rung_at]
    if clock.warned_at is None and clock.rung == 0:
        pending.append(clock.warn_at)
    pending = [at for at in pending if at is not None]
    if not pending:
        return None
    # A clock that failed to fire is not tried again before its back-off has passed.
    return max(min(pending), clock.retry_at) if clock.retry_at else min(pending)


def _subject_type(subject: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(subject, for_concrete_model=True)


def clock_start(
    *,
    subject: models.Model,
    kind: str,
    due_at: datetime,
    started_at: datetime,
    label: str,
    url: str = "",
    queue=None,
    ladder: EscalationLadder | None = None,
    actor: User | None = None,
) -> Clock:
    """Start the clock on ``subject`` waiting for ``kind``. Idempotent: an open clock is left as it is.

    Restarting an answered clock (the item came back) begins a new cycle up the ladder: the
    table's ``restart``, which an open clock refuses.
    """
    subject_type = _subject_type(subject)
    ladder = ladder or ladder_for(queue)
    rungs = _rungs(ladder)
    percent = ladder.warn_at_percent if ladder else DEFAULT_WARN_PERCENT
    with transaction.atomic():
        clock = (
            Clock.objects.select_for_update()
            .filter(subject_type=subject_type, subject_id=subject.pk, kind=kind)
            .first()
        )
        if clock is None:
            clock = Clock(subject_type=subject_type, subject_id=subject.pk, kind=kind, state=Clock.State.OPEN)
        elif not Clock.TRANSITIONS.allows("restart", clock.state):
            return clock  # already running
        else:
            clock.state = Clock.TRANSITIONS.move("restart", clock.state)
            clock.cycle += 1
        clock.label, clock.url, clock.queue, clock.ladder = label, url, queue, ladder
        clock.started_at, clock.due_at = started_at, due_at
        # Absolute UTC instants: a timer spanning a clock change fires after the real time passed.
        clock.warn_at = started_at + (due_at - started_at) * percent / 100
        clock.warned_at = None
        clock.rung = 0
        clock.next_rung_at = due_at + rungs[0].interval if rungs else None
        clock.answered_at, clock.answered_by, clock.answer_reason = None, None, ""
        clock.next_action_at = _next_action(clock)
        save_as(clock, actor)
    return clock


def _locked_clock(subject: models.Model, kind: str, related: str) -> Clock | None:
    """The subject's clock of ``kind``, locked until the transaction ends (None: it never had one)."""
    return (
        Clock.objects.select_for_update(of=("self",))
        .select_related(related)
        .filter(subject_type=_subject_type(subject), subject_id=subject.pk, kind=kind)
        .first()
    )


def clock_reschedule(*, subject: models.Model, kind: str, due_at: datetime, actor: User | None) -> Clock | None:
    """Move an open clock's due time (and its warning and first rung with it), keeping its start.

    A clock that has already escalated keeps climbing as it was: the people told stay told.
    An answered clock is left as it is (the table's ``reschedule``, refused by doing nothing).
    """
    with transaction.atomic():
        clock = _locked_clock(subject, kind, "ladder")
        if clock is None or not Clock.TRANSITIONS.allows("reschedule", clock.state):
            return clock
        percent = clock.ladder.warn_at_percent if clock.ladder else DEFAULT_WARN_PERCENT
        clock.due_at = due_at
        clock.warn_at = clock.started_at + (due_at - clock.started_at) * percent / 100
        if clock.rung == 0:
            rungs = _rungs(clock.ladder)
            clock.next_rung_at = due_at + rungs[0].interval if rungs else None
            if clock.warned_at and clock.warn_at > timezone.now():
                clock.warned_at = None  # the warning given was for the old time: warn again at the new one
        clock.next_action_at = _next_action(clock)
        save_as(clock, actor)
    return clock


def _timeline(clock: Clock, kind: str, summary: str, actor: User | None, at: datetime) -> None:
    writer = subjects.timeline_for(clock.subject_type.model_class())
    if writer:
        writer(subject_id=clock.subject_id, kind=kind, summary=summary, actor=actor, at=at)


def clock_stop(*, subject: models.Model, kind: str, actor: User | None, reason: str) -> Clock | None:
    """The item is answered: stop its clock, and de-escalate if it had escalated.

    Idempotent: the table's ``answer``, which an answered clock refuses, leaving it as it is.
    """
    with transaction.atomic():
        clock = _locked_clock(subject, kind, "subject_type")
        if clock is None or not Clock.TRANSITIONS.allows("answer", clock.state):
            return clock
        now = timezone.now()
        clock.state = Clock.TRANSITIONS.move("answer", clock.state)
        clock.answered_at, clock.answered_by, clock.answer_reason = now, actor, reason[:300]
        clock.next_rung_at = clock.next_action_at = None
        save_as(clock, actor)
        if clock.rung:
            live = Escalation.objects.filter(clock=clock, cycle=clock.cycle, de_escalated_at__isnull=True)
            # With the clock locked, nobody else de-escalates these rows: each changes once, in its history.
            update_as(live, actor, de_escalated_at=now)
            _timeline(clock, DE_ESCALATED, f"De-escalated: {reason}" + (f" by {actor}" if actor else ""), actor, now)
    return clock


def _people_on(rung: EscalationRung, clock: Clock, at: datetime) -> list[User]:
    if rung.people == EscalationRung.People.NAMED:
        people = list(rung.named_users.all())
    elif rung.people == EscalationRung.People.QUEUE_CLINICIANS:
        people = subjects.on_duty(clock.queue, at)
    else:
        lead = subjects.duty_lead(clock.queue, at)
        people = [lead] if lead else []
    return [person for person in people if person.is_active]


def _record(clock: Clock, *, rung: int, kind: str, rung_name: str, scheduled_at: datetime, now: datetime,
            summary: str) -> Escalation:
    """The one place summaries are stored; the timeline is given the stored one. Cut to fit
    with an ellipsis: a rung naming many people must never make its escalation unstorable."""
    if len(summary) > SUMMARY_LENGTH:
        summary = summary[: SUMMARY_LENGTH - 1] + "\u2026"
    escalation = Escalation(
        clock=clock, rung=rung, cycle=clock.cycle, kind=kind, rung_name=rung_name,
        scheduled_at=scheduled_at, fired_at=now, summary=summary,
    )
    save_as(escalation, None)  # full_clean checks the (clock, rung, cycle) constraint too
    return escalation


def _warn(clock: Clock, now: datetime) -> None:
    Clock.TRANSITIONS.move("warn", clock.state)
    summary = f"Warning: {clock.label} is due by {local(clock.due_at)}"
    warning = _record(clock, rung=0, kind=Escalation.Kind.WARNING, rung_name="", scheduled_at=clock.warn_at,
                      now=now, summary=summary)
    clock.warned_at = now
    _timeline(clock, WARNED, warning.summary, None, now)


def _climb(clock: Clock, rungs: list[EscalationRung], now: datetime) -> None:
    """Fire the next rung, which came due at ``clock.next_rung_at``."""
    Clock.TRANSITIONS.move("climb", clock.state)
    position = clock.rung + 1
    rung = rungs[position - 1]
    scheduled = clock.next_rung_at
    people = _people_on(rung, clock, now)
    following = rungs[position] if position < len(rungs) else None
    if people:
        summary = (
            f"Escalated to {rung.name} ({', '.join(str(p) for p in people)}): "
            f"{clock.label} was due by {local(clock.due_at)}"
        )
        escalation = _record(clock, rung=position, kind=Escalation.Kind.ESCALATION, rung_name=rung.name,
                             scheduled_at=scheduled, now=now, summary=summary)
        summary = escalation.summary
        url = reverse("escalations:escalation_detail", args=[escalation.public_id])
        message = f"{rung.name}: {clock.label} is overdue (due {local(clock.due_at)})"
        Notification.objects.bulk_create(
            [Notification(recipient=p, escalation=escalation, message=message, url=url, created_at=now) for p in people]
        )
        next_at = scheduled + following.interval if following else None
    else:
        summary = f"Nobody is on {rung.name} for {clock.label}: moved on" + (f" to {following.name}" if following else "")
        summary = _record(clock, rung=position, kind=Escalation.Kind.SKIPPED, rung_name=rung.name,
                          scheduled_at=scheduled, now=now, summary=summary).summary
        next_at = scheduled  # nobody to wait for: the next rung is due now
    clock.rung = position
    clock.next_rung_at = next_at
    _timeline(clock, ESCALATED, summary, None, now)


def _advance(clock: Clock, now: datetime) -> int:
    """Fire every step ``clock`` owes by ``now``, in order. Called with the clock locked."""
    steps = 0
    rungs = _rungs(clock.ladder)
    if clock.warned_at is None and clock.rung == 0 and clock.warn_at <= now:
        _warn(clock, now)
        steps += 1
    while clock.next_rung_at is not None and clock.next_rung_at <= now:
        if clock.rung >= len(rungs):  # the ladder was shortened under a live clock
            clock.next_rung_at = None
            break
        _climb(clock, rungs, now)
        steps += 1
        if settings.CCC_ESCALATION_FIRE_DELAY_SECONDS:
            # Tests slow each fire so a worker can be killed in the middle of one.
            time.sleep(settings.CCC_ESCALATION_FIRE_DELAY_SECONDS)
    # It fired: whatever stopped it before is over.
    clock.failures, clock.failed_at, clock.retry_at, clock.last_error = 0, None, None, ""
    clock.next_action_at = _next_action(clock)
    save_as(clock, None)
    return steps


def _failed(clock_pk: int, error: Exception, now: datetime) -> None:
    """Mark the clock (still locked) with its error and when to try it again; the first time, tell
    the administrators, who can see its error in the admin and managers on the live list."""
    clock = Clock.objects.get(pk=clock_pk)  # afresh: the failed attempt's changes were rolled back
    clock.failures += 1
    clock.failed_at = now
    clock.retry_at = now + min(timedelta(minutes=2 ** min(clock.failures - 1, 6)), RETRY_AT_MOST)
    clock.last_error = f"{type(error).__name__}: {error}"[:2000]
    clock.next_action_at = _next_action(clock) or clock.retry_at
    save_as(clock, None)
    if clock.failures > 1:
        return  # told already
    administrators = User.objects.filter(is_active=True).filter(
        models.Q(role__in=roles_granted(Action.ADMINISTER)) | models.Q(is_superuser=True)
    )
    # No error text here (it goes by e-mail): the clock's admin page shows it.
    message = f"Escalations cannot fire for {clock.label} ({clock.kind}): retrying; please look at its clock"
    url = reverse("admin:escalations_clock_change", args=[clock.pk])
    Notification.objects.bulk_create(
        [Notification(recipient=p, clock=clock, message=message[:500], url=url, created_at=now) for p in administrators]
    )


def escalations_fire_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Beat's poller: fire what has come due, one clock per transaction. Returns the steps fired.

    Reads only clocks whose next action time has passed (a partial index on open clocks), so
    its cost follows what is due, not what is open.
    """
    fired = 0
    for _ in range(limit):
        moment = now or timezone.now()
        with transaction.atomic():
            clock = (
                Clock.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("subject_type", "queue", "ladder")
                .filter(state=Clock.State.OPEN, next_action_at__lte=moment)
                .order_by("next_action_at", "pk")
                .first()
            )
            if clock is None:
                break
            try:
                with transaction.atomic():  # a savepoint: a clock that cannot fire undoes only its own steps
                    fired += _advance(clock, moment)
            except (OperationalError, InterfaceError):
                raise  # the database itself is failing, not this clock: the whole sweep stops
            except Exception as error:
                logger.exception("Escalation clock %s could not fire; the sweep goes on", clock.pk)
                _failed(clock.pk, error, moment)
    notifications_email_pending()
    return fired


def notifications_email_pending(*, limit: int = 200) -> int:
    """E-mail notifications not yet sent. At least once: a crash after sending resends on the next run."""
    sent = 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(emailed_at__isnull=True)
            .order_by("created_at", "pk")[:limit]
        )
        for notification in pending:
            if notification.recipient.email:
                # No patient details in e-mail: the link is enough for someone who may see it.
                send_mail(
                    subject="Escalation: " + notification.message[:150],
                    message=f"{notification.message}\n\nOpen it: {settings.CCC_SITE_URL}{notification.url}",
                    from_email=None,
                    recipient_list=[notification.recipient.email],
                )
                sent += 1
            notification.emailed_at = timezone.now()
        Notification.objects.bulk_update(pending, ["emailed_at"])
    return sent


def escalation_acknowledge(*, escalation: Escalation, actor: User, note: str) -> Escalation:
    """Someone on the rung has it. Holds the ladder: the next rung is told only if the item is
    still unanswered a full rung interval after this acknowledgement.

    Only the people it was sent to acknowledge it (PermissionDenied); once (Conflict naming who
    did, unless it is the same person submitting twice); and only while its clock is open.
    """
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say what you are doing about it"})
    with transaction.atomic():
        locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
        require(actor, Action.ESCALATION_ACKNOWLEDGE, locked)
        clock = (
            Clock.objects.select_for_update(of=("self",)).select_related("subject_type", "ladder").get(pk=locked.clock_id)
        )
        if locked.acknowledged_at:
            if locked.acknowledged_by_id == actor.pk:
                return locked  # a double submit
            raise Conflict(f"Already acknowledged by {locked.acknowledged_by} at {local(locked.acknowledged_at)}")
        answered = "This item has been answered already: nothing to acknowledge"
        Clock.TRANSITIONS.move("acknowledge", clock.state, answered)
        if locked.de_escalated_at:  # an earlier cycle's step, answered then
            raise Conflict(answered)
        now = timezone.now()
        locked.acknowledged_at, locked.acknowledged_by, locked.acknowledgement_note = now, actor, note
        save_as(locked, actor)
        rungs = _rungs(clock.ladder)
        if clock.rung == locked.rung and clock.next_rung_at and clock.rung < len(rungs):
            clock.next_rung_at = max(clock.next_rung_at, now + rungs[clock.rung].interval)
            clock.next_action_at = _next_action(clock)
            save_as(clock, actor)
        _timeline(clock, ACKNOWLEDGED, f"Acknowledged by {actor} ({locked.rung_name}): {note}"[:500], actor, now)
    return locked


def notification_mark_read(*, notification: Notification, actor: User) -> Notification:
    if notification.recipient_id != actor.pk:
        raise Conflict("That notification is someone else's")
    if notification.read_at is None:
        # Guarded (a notification keeps no history): two tabs marking it at once both succeed,
        # the first time stands.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())
        notification.refresh_from_db(fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())

"""Writes for the escalation engine: start and stop clocks, fire what is due, acknowledge, read.

Exactly once in effect: the poller takes a batch of due clocks under row locks that other
pollers skip, writes every step each clock owes (escalation rows, notifications, timeline) in
the same transaction as the clocks' new state, and each step has a unique (clock, rung, cycle).
A worker killed mid-run loses its transaction; the next run fires the same steps once.

No poison pill: a batch whose writes fail is written again one clock per savepoint; the clock
that cannot fire is rolled back alone, marked with its error and retried with back-off, and
administrators are told; the sweep goes on to the other clocks (``escalations.firing``).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from ccc.audit import save_as, update_as
from ccc.exceptions import Conflict
from ccc.models import User
from ccc.permissions import Action, require
from escalations import firing
from escalations.firing import ACKNOWLEDGED, DE_ESCALATED, local, next_action, timeline_write
from escalations.models import Clock, Escalation, EscalationLadder, EscalationRung, Notification

DEFAULT_WARN_PERCENT = 75


def ladder_for(queue) -> EscalationLadder | None:
    """The queue's own ladder, or the default one, with its first rung's interval in minutes
    (``first_rung_minutes``, None when it has no rungs)."""
    # One query: the queue's own ladder sorts before the default (no queue), its first rung read with it.
    mine = models.Q(queue__isnull=True) | (models.Q(queue=queue) if queue is not None else models.Q(pk__in=[]))
    first_rung = EscalationRung.objects.filter(ladder=models.OuterRef("pk")).order_by("position")
    return (
        EscalationLadder.objects.filter(mine)
        .annotate(first_rung_minutes=models.Subquery(first_rung.values("minutes_after_previous")[:1]))
        .order_by(models.F("queue").asc(nulls_last=True))
        .first()
    )


def _rungs(ladder: EscalationLadder | None) -> list[EscalationRung]:
    return list(ladder.rungs.order_by("position")) if ladder else []


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
    new_subject: bool = False,
) -> Clock:
    """Start the clock on ``subject`` waiting for ``kind``. Idempotent: an open clock is left as it is.

    Restarting an answered clock (the item came back) begins a new cycle up the ladder: the
    table's ``restart``, which an open clock refuses. A ``new_subject`` (made in this
    transaction) has no clock to look for.
    """
    subject_type = _subject_type(subject)
    ladder = ladder or ladder_for(queue)
    first_rung_minutes = first_rung_minutes_of(ladder)
    percent = ladder.warn_at_percent if ladder else DEFAULT_WARN_PERCENT
    # No savepoint: nothing here is caught and carried on from; a failure fails the caller's write.
    with transaction.atomic(savepoint=False):
        clock = None if new_subject else (
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
        clock_schedule(
            clock, started_at=started_at, due_at=due_at, percent=percent, first_rung_minutes=first_rung_minutes,
            not_before=timezone.now(),
        )
        # Looked up under lock above (or new with its subject): the unique (subject, kind) holds,
        # and the constraint refuses a clock started by a racing transaction.
        save_as(clock, actor, checked=["subject_type", "subject_id", "kind"])
    return clock


def clock_schedule(
    clock: Clock, *, started_at: datetime, due_at: datetime, percent: int, first_rung_minutes: int | None,
    not_before: datetime | None,
) -> None:
    """Set a starting clock's times in memory: its warning at ``percent`` of the wait, its first rung
    after the due time but ``not_before`` (now, when a clock starts on an item already overdue; None
    for a clock that was running all along, as the place data generator makes them)."""
    clock.started_at, clock.due_at = started_at, due_at
    # Absolute UTC instants: a timer spanning a clock change fires after the real time passed.
    clock.warn_at = started_at + (due_at - started_at) * percent / 100
    clock.warned_at = None
    clock.rung = 0
    clock.next_rung_at = _first_rung_at(due_at, first_rung_minutes, not_before)
    clock.answered_at, clock.answered_by, clock.answer_reason = None, None, ""
    clock.next_action_at = next_action(clock)


def _first_rung_at(due_at: datetime, minutes: int | None, not_before: datetime | None) -> datetime | None:
    """When the first rung is told: its interval after the due time, or ``not_before`` (now) for an
    item recorded (or moved) already past that. It starts at the first rung and climbs at the
    ladder's pace from there, instead of telling every rung at once; a clock that was running when
    its rungs came due (the poller was down) still fires each of them."""
    if minutes is None:
        return None
    first = due_at + timedelta(minutes=minutes)
    return max(first, not_before) if not_before else first


def first_rung_minutes_of(ladder: EscalationLadder | None) -> int | None:
    if ladder is None:
        return None
    if hasattr(ladder, "first_rung_minutes"):  # read with the ladder (ladder_for)
        return ladder.first_rung_minutes
    first = ladder.rungs.order_by("position").first()
    return first.minutes_after_previous if first else None


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
            clock.next_rung_at = _first_rung_at(due_at, first_rung_minutes_of(clock.ladder), timezone.now())
            if clock.warned_at and clock.warn_at > timezone.now():
                clock.warned_at = None  # the warning given was for the old time: warn again at the new one
        clock.next_action_at = next_action(clock)
        save_as(clock, actor)
    return clock


def clock_stop(*, subject: models.Model, kind: str, actor: User | None, reason: str) -> Clock | None:
    """The item is answered: stop its clock, and de-escalate if it had escalated.

    Idempotent: the table's ``answer``, which an answered clock refuses, leaving it as it is.
    """
    with transaction.atomic(savepoint=False):  # nothing here is caught and carried on from
        clock = _locked_clock(subject, kind, "subject_type")
        if clock is None or not Clock.TRANSITIONS.allows("answer", clock.state):
            return clock
        now = timezone.now()
        clock.state = Clock.TRANSITIONS.move("answer", clock.state)
        clock.answered_at, clock.answered_by, clock.answer_reason = now, actor, reason[:300]
        clock.next_rung_at = clock.next_action_at = None
        save_as(clock, actor, update_fields=[
            "state", "answered_at", "answered_by", "answer_reason", "next_rung_at", "next_action_at"
        ])
        if clock.rung:
            live = Escalation.objects.filter(clock=clock, cycle=clock.cycle, de_escalated_at__isnull=True)
            # With the clock locked, nobody else de-escalates these rows: each changes once, in its history.
            update_as(live, actor, de_escalated_at=now)
            timeline_write(clock, DE_ESCALATED, f"De-escalated: {reason}" + (f" by {actor}" if actor else ""), actor, now)
    return clock


def escalations_fire_due(*, now: datetime | None = None, limit: int = 10_000, batch: int | None = None) -> int:
    """Beat's poller: fire what has come due, ``batch`` clocks per transaction, at most ``limit``
    clocks a call. Returns the steps fired.

    Reads only clocks whose next action time has passed (a partial index on open clocks), so
    its cost follows what is due, not what is open; each batch reads its ladders and rota once
    and writes in bulk (``escalations.firing``).
    """
    batch = batch or settings.CCC_ESCALATION_BATCH_SIZE
    fired = taken = 0
    while taken < limit:
        moment = now or timezone.now()
        with transaction.atomic():
            clocks = list(
                Clock.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("subject_type", "queue", "ladder")
                .filter(state=Clock.State.OPEN, next_action_at__lte=moment)
                .order_by("next_action_at", "pk")[: min(batch, limit - taken)]
            )
            if clocks:
                fired += firing.fire_batch(clocks, moment)
        taken += len(clocks)
        if len(clocks) < batch:
            break  # nothing more was due (or another poller holds the rest)
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
            clock.next_action_at = next_action(clock)
            save_as(clock, actor)
        timeline_write(clock, ACKNOWLEDGED, f"Acknowledged by {actor} ({locked.rung_name}): {note}"[:500], actor, now)
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


@transaction.atomic
def notification_send(*, recipients, topic: str, message: str, url: str = "") -> None:
    """Tell each person once about ``topic`` (a repeat is ignored by the unique (recipient, topic));
    e-mailed by the usual sweep. For news that is not a clock's: a partner's level rising, a
    referral's next step for its referrer. One insert, whoever was told before."""
    now = timezone.now()
    rows = [Notification(recipient=person, topic=topic[:100], message=message[:500], url=url, created_at=now)
            for person in recipients if person.is_active]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)

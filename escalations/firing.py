"""The poller's work on one batch of due clocks, locked by the caller.

A sweep reads the rungs of every ladder and who is on duty for every queue once, works out in
memory every step each clock owes, then writes them all at once: the escalations and their
history, the notifications, the timelines, and the clocks with their history. Its queries
follow the number of ladders and queues, not the number of due clocks.

No poison pill: if the batch's writes fail, they are rolled back and each clock's steps are
written again in a savepoint of its own, so only the clock that cannot fire is set aside
(marked with its error, retried with back-off, administrators told); a clock whose steps
cannot even be worked out is set aside the same way.
"""

import logging
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import InterfaceError, OperationalError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ccc.audit import bulk_create_as, bulk_save_as, insert_rows, save_as
from ccc.models import User
from ccc.permissions import Action, roles_granted
from escalations import subjects
from escalations.models import Clock, Escalation, EscalationRung, Notification

logger = logging.getLogger(__name__)

# Timeline kinds, shared with referrals.models.TimelineEvent.Kind.
WARNED, ESCALATED, ACKNOWLEDGED, DE_ESCALATED = "warned", "escalated", "acknowledged", "de_escalated"
SUMMARY_LENGTH = Escalation._meta.get_field("summary").max_length
# A failing clock waits 1, 2, 4 ... minutes between attempts, never more than this.
RETRY_AT_MOST = timedelta(hours=1)
# What firing changes on a clock: written for the whole batch in one update.
FIRED_FIELDS = ["warned_at", "rung", "next_rung_at", "failures", "failed_at", "retry_at", "last_error",
                "next_action_at"]
URL_ID = uuid.UUID(int=0)


@lru_cache(maxsize=4096)  # a sweep formats the same due times for each step of a clock
def local(at: datetime) -> str:
    return date_format(timezone.localtime(at), "j M H:i")


def next_action(clock: Clock) -> datetime | None:
    pending = [clock.next_rung_at]
    if clock.warned_at is None and clock.rung == 0:
        pending.append(clock.warn_at)
    pending = [at for at in pending if at is not None]
    if not pending:
        return None
    # A clock that failed to fire is not tried again before its back-off has passed.
    return max(min(pending), clock.retry_at) if clock.retry_at else min(pending)


def timeline_write(clock: Clock, kind: str, summary: str, actor: User | None, at: datetime) -> None:
    """One step on one clock's subject timeline (answers and acknowledgements, one at a time)."""
    writer = subjects.timeline_for(clock.subject_type.model_class())
    if writer:
        writer([subjects.TimelineEntry(subject_id=clock.subject_id, kind=kind, summary=summary, actor=actor, at=at)])


@dataclass
class Step:
    """One escalation a clock owes, and who is told of it."""

    escalation: Escalation
    people: list[User]
    message: str = ""


@dataclass
class Plan:
    """Everything one clock owes by now, worked out before anything is written."""

    clock: Clock
    steps: list[Step] = field(default_factory=list)
    timeline: list[tuple[str, str]] = field(default_factory=list)  # (kind, summary)


class Sweep:
    """What one batch reads once: each ladder's rungs, and who is on duty for each queue now."""

    def __init__(self, clocks: list[Clock], now: datetime) -> None:
        self.now = now
        self.rungs: dict[int, list[EscalationRung]] = defaultdict(list)
        ladder_ids = {clock.ladder_id for clock in clocks if clock.ladder_id}
        for rung in (
            EscalationRung.objects.filter(ladder_id__in=ladder_ids).order_by("ladder_id", "position")
            .prefetch_related("named_users")
        ):
            self.rungs[rung.ladder_id].append(rung)
        self._duty: dict[tuple[str, int], list[User]] = {}

    def people_on(self, rung: EscalationRung, clock: Clock) -> list[User]:
        if rung.people == EscalationRung.People.NAMED:
            people = list(rung.named_users.all())
        else:
            key = (rung.people, clock.queue_id)
            if key not in self._duty:
                if rung.people == EscalationRung.People.QUEUE_CLINICIANS:
                    self._duty[key] = subjects.on_duty(clock.queue, self.now)
                else:
                    lead = subjects.duty_lead(clock.queue, self.now)
                    self._duty[key] = [lead] if lead else []
            people = self._duty[key]
        return [person for person in people if person.is_active]


def _step(plan: Plan, *, rung: int, kind: str, rung_name: str, scheduled_at: datetime, now: datetime,
          summary: str, people: list[User] | None = None, message: str = "") -> str:
    """The one place summaries are made to fit, with an ellipsis: a rung naming many people must
    never make its escalation unstorable. Returns the summary as stored, for the timeline."""
    if len(summary) > SUMMARY_LENGTH:
        summary = summary[: SUMMARY_LENGTH - 1] + "\u2026"
    clock = plan.clock
    plan.steps.append(Step(
        Escalation(clock=clock, rung=rung, cycle=clock.cycle, kind=kind, rung_name=rung_name,
                   scheduled_at=scheduled_at, fired_at=now, summary=summary),
        people or [], message,
    ))
    return summary


def _warn(plan: Plan, now: datetime) -> None:
    clock = plan.clock
    Clock.TRANSITIONS.move("warn", clock.state)
    summary = _step(plan, rung=0, kind=Escalation.Kind.WARNING, rung_name="", scheduled_at=clock.warn_at, now=now,
                    summary=f"Warning: {clock.label} is due by {local(clock.due_at)}")
    clock.warned_at = now
    plan.timeline.append((WARNED, summary))


def _climb(plan: Plan, rungs: list[EscalationRung], sweep: Sweep, now: datetime) -> None:
    """Fire the next rung, which came due at ``clock.next_rung_at``."""
    clock = plan.clock
    Clock.TRANSITIONS.move("climb", clock.state)
    position = clock.rung + 1
    rung = rungs[position - 1]
    scheduled = clock.next_rung_at
    people = sweep.people_on(rung, clock)
    following = rungs[position] if position < len(rungs) else None
    if people:
        summary = _step(
            plan, rung=position, kind=Escalation.Kind.ESCALATION, rung_name=rung.name, scheduled_at=scheduled,
            now=now, people=people, message=f"{rung.name}: {clock.label} is overdue (due {local(clock.due_at)})",
            summary=f"Escalated to {rung.name} ({', '.join(str(p) for p in people)}): "
                    f"{clock.label} was due by {local(clock.due_at)}",
        )
        next_at = scheduled + following.interval if following else None
    else:
        summary = _step(
            plan, rung=position, kind=Escalation.Kind.SKIPPED, rung_name=rung.name, scheduled_at=scheduled, now=now,
            summary=f"Nobody is on {rung.name} for {clock.label}: moved on"
                    + (f" to {following.name}" if following else ""),
        )
        next_at = scheduled  # nobody to wait for: the next rung is due now
    clock.rung = position
    clock.next_rung_at = next_at
    plan.timeline.append((ESCALATED, summary))


def plan_clock(clock: Clock, sweep: Sweep, now: datetime) -> Plan:
    """Every step ``clock`` owes by ``now``, in order, applied to the clock in memory only."""
    plan = Plan(clock)
    rungs = sweep.rungs.get(clock.ladder_id, [])
    if clock.warned_at is None and clock.rung == 0 and clock.warn_at <= now:
        _warn(plan, now)
    while clock.next_rung_at is not None and clock.next_rung_at <= now:
        if clock.rung >= len(rungs):  # the ladder was shortened under a live clock
            clock.next_rung_at = None
            break
        _climb(plan, rungs, sweep, now)
        if settings.CCC_ESCALATION_FIRE_DELAY_SECONDS:
            # Tests slow each fire so a worker can be killed in the middle of one.
            time.sleep(settings.CCC_ESCALATION_FIRE_DELAY_SECONDS)
    # It fired: whatever stopped it before is over.
    clock.failures, clock.failed_at, clock.retry_at, clock.last_error = 0, None, None, ""
    clock.next_action_at = next_action(clock)
    return plan


def _write(plans: list[Plan], now: datetime) -> int:
    """Write the plans' steps in a constant number of queries. Returns the steps written."""
    steps = [step for plan in plans for step in plan.steps]
    if steps:
        # The (clock, rung, cycle) constraint still refuses a step fired twice.
        bulk_create_as([step.escalation for step in steps], None)
        # Every escalation's page address is the same but for its id: resolved once, not once a row.
        url = reverse("escalations:escalation_detail", args=[URL_ID])
        insert_rows([
            Notification(
                recipient=person, escalation=step.escalation, message=step.message, created_at=now,
                url=url.replace(str(URL_ID), str(step.escalation.public_id)),
            )
            for step in steps for person in step.people
        ])
    entries = defaultdict(list)
    for plan in plans:
        clock = plan.clock
        entries[clock.subject_type_id] += [
            subjects.TimelineEntry(subject_id=clock.subject_id, kind=kind, summary=summary, actor=None, at=now)
            for kind, summary in plan.timeline
        ]
    for subject_type_id, subject_entries in entries.items():
        writer = subjects.timeline_for(ContentType.objects.get_for_id(subject_type_id).model_class())
        if writer and subject_entries:
            writer(subject_entries)
    bulk_save_as([plan.clock for plan in plans], FIRED_FIELDS, None)
    return len(steps)


def _unsaved(plan: Plan) -> Plan:
    """The plan again after its batch was rolled back: its escalations have no rows any more."""
    for step in plan.steps:
        step.escalation.pk = None
        step.escalation._state.adding = True
    return plan


def fire_batch(clocks: list[Clock], now: datetime) -> int:
    """Fire every step the (locked) ``clocks`` owe by ``now``. Returns the steps fired."""
    sweep = Sweep(clocks, now)
    plans, failures = [], []
    for clock in clocks:
        try:
            plans.append(plan_clock(clock, sweep, now))
        except Exception as error:
            logger.exception("Escalation clock %s could not fire; the sweep goes on", clock.pk)
            failures.append((clock.pk, error))
    try:
        with transaction.atomic():  # a savepoint: undone as a whole if any clock's steps fail
            fired = _write(plans, now)
    except (OperationalError, InterfaceError):
        raise  # the database itself is failing, not a clock: the whole sweep stops
    except Exception:
        fired = 0
        for plan in plans:  # one at a time, to find the clock that cannot fire
            try:
                with transaction.atomic():
                    fired += _write([_unsaved(plan)], now)
            except (OperationalError, InterfaceError):
                raise
            except Exception as error:
                logger.exception("Escalation clock %s could not fire; the sweep goes on", plan.clock.pk)
                failures.append((plan.clock.pk, error))
    for clock_pk, error in failures:
        _failed(clock_pk, error, now)
    return fired


def _failed(clock_pk: int, error: Exception, now: datetime) -> None:
    """Mark the clock (still locked) with its error and when to try it again; the first time, tell
    the administrators, who can see its error in the admin and managers on the live list."""
    clock = Clock.objects.get(pk=clock_pk)  # afresh: the failed attempt's changes were rolled back
    clock.failures += 1
    clock.failed_at = now
    clock.retry_at = now + min(timedelta(minutes=2 ** min(clock.failures - 1, 6)), RETRY_AT_MOST)
    clock.last_error = f"{type(error).__name__}: {error}"[:2000]
    clock.next_action_at = next_action(clock) or clock.retry_at
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

"""Open escalation clocks, and the steps they have already taken, for the place data generator
(``manage.py generate_place``).

Each clock starts as the owning app starts it (the ``triage_clock``, ``response_clock`` and
``plan_clock`` details the services pass to ``clock_start``), is scheduled by the engine's own
``clock_schedule`` on its queue's ladder, and is brought up to now by the poller's own
``plan_clock``: the warnings and rungs it would have fired are written as its escalations (fired
when they were due). Only ``due_now`` clocks are left owing their next step, so a sweep run on
the data finds exactly that many due. No notifications are written: people would have read them.
"""

from collections.abc import Iterator
from datetime import datetime
from functools import cache

from django.contrib.contenttypes.models import ContentType

from ccc.bulk import instance_row
from escalations.firing import Sweep, plan_clock
from escalations.models import Clock, Escalation
from escalations.services import DEFAULT_WARN_PERCENT, clock_schedule, first_rung_minutes_of, ladder_for


def clock_tables(*, specs: list[dict], ids, now: datetime, due_now: int, chunk: int = 10_000) -> Iterator[dict]:
    """Rows for one open clock per spec (``clock_start``'s arguments), oldest first, and the
    escalations each has fired by ``now`` but for the ``due_now`` most recently due, which are
    left due; ``chunk`` clocks at a time."""
    ladder = cache(ladder_for)
    rung_minutes = cache(first_rung_minutes_of)
    content_type = cache(lambda model: ContentType.objects.get_for_model(model, for_concrete_model=True))
    clocks = []
    for spec in specs:
        queue, subject = spec.get("queue"), spec["subject"]
        clock = Clock(
            subject_type=content_type(type(subject)), subject_id=subject.pk, kind=spec["kind"],
            label=spec["label"], url=spec["url"], queue=queue, ladder=ladder(queue), state=Clock.State.OPEN,
        )
        clock_schedule(
            clock, started_at=spec["started_at"], due_at=spec["due_at"],
            percent=clock.ladder.warn_at_percent if clock.ladder else DEFAULT_WARN_PERCENT,
            first_rung_minutes=rung_minutes(clock.ladder), not_before=None,  # running all along
        )
        clocks.append(clock)
    clocks.sort(key=lambda clock: clock.started_at)
    for clock in clocks:
        clock.pk = ids.take(Clock)
    owing = sorted((clock for clock in clocks if clock.next_action_at and clock.next_action_at <= now),
                   key=lambda clock: clock.next_action_at, reverse=True)
    left_due = {clock.pk for clock in owing[:due_now]}
    for start in range(0, len(clocks), chunk):
        part = clocks[start:start + chunk]
        to_fire = [clock for clock in part if clock.next_action_at and clock.next_action_at <= now
                   and clock.pk not in left_due]
        sweep, escalations = Sweep(to_fire, now), []
        for clock in to_fire:
            for step in plan_clock(clock, sweep, now).steps:
                step.escalation.pk = ids.take(Escalation)
                step.escalation.fired_at = step.escalation.scheduled_at  # when the poller would have fired it
                escalations.append(instance_row(step.escalation))
        yield {Clock: [instance_row(clock) for clock in part], Escalation: escalations}


ESCALATION_MODELS = [Clock, Escalation]

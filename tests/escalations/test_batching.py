"""The poller in batches: a sweep reads its ladders and rota once and writes in bulk, so its
queries do not grow with the number of clocks due; every due clock still fires, batch after
batch, and the history still records each escalation and each clock's change."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from escalations import services
from escalations.models import Clock, Escalation, Notification
from tests import factories

MIN = timedelta(minutes=1)
START = datetime(2032, 1, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def waiting(physical_ladder, falls, call_handler, clinician):
    def make(count: int) -> list:
        return [factories.referral(need=falls, actor=call_handler, received_at=START) for _ in range(count)]
    return make


def queries_to_sweep(at: datetime) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        fired = services.escalations_fire_due(now=at)
    return len(queries), fired


def test_a_sweeps_queries_do_not_grow_with_the_clocks_due(waiting):
    waiting(1)
    one, fired_one = queries_to_sweep(START + 200 * MIN)
    waiting(12)
    twelve, fired_twelve = queries_to_sweep(START + 400 * MIN)

    # Warning and four rungs each: 5 steps for one clock, 60 for twelve, in the same queries.
    assert (fired_one, fired_twelve) == (5, 60)
    assert twelve == one


def test_every_due_clock_fires_batch_after_batch_and_a_call_stops_at_its_limit(waiting):
    referrals = waiting(5)

    assert services.escalations_fire_due(now=START + 100 * MIN, batch=2, limit=4) == 4  # four warnings
    assert Clock.objects.filter(warned_at__isnull=False).count() == 4
    assert services.escalations_fire_due(now=START + 100 * MIN, batch=2) == 1  # the fifth

    for referral in referrals:
        assert list(referral.timeline.filter(kind="warned").values_list("kind", flat=True)) == ["warned"]


def test_bulk_writes_keep_the_history_of_each_escalation_and_clock(waiting, clinician):
    [referral] = waiting(1)

    services.escalations_fire_due(now=START + 121 * MIN)

    clock = Clock.objects.get(subject_id=referral.pk, kind="triage")
    assert clock.rung == 1 and clock.history.count() == 2  # started, then fired
    assert clock.history.first().rung == 1
    for escalation in Escalation.objects.filter(clock=clock):
        assert escalation.history.get().history_type == "+"
    assert Notification.objects.get(escalation__rung=1).recipient == clinician

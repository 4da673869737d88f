"""A clock moves only through ``Clock.TRANSITIONS``: every move the table refuses, the service
that would make it refuses too (the walk), and de-escalation is written to each step's history."""

from datetime import UTC, datetime, timedelta

import pytest

from ccc.exceptions import Conflict
from escalations import services
from escalations.models import Clock, Escalation
from tests import factories

MIN = timedelta(minutes=1)
START = datetime(2032, 1, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def waiting(physical_ladder, falls, call_handler, clinician):
    """A referral received at START into the physical health queue (target 120 minutes), escalated
    to the duty clinicians at its due time."""
    referral = factories.referral(need=falls, actor=call_handler, received_at=START)
    services.escalations_fire_due(now=START + 120 * MIN)
    return referral


def clock_of(referral) -> Clock:
    return Clock.objects.get(subject_id=referral.pk, kind="triage")


def put_in(clock: Clock, state: str) -> Clock:
    """Set the row to ``state`` as if it had got there, keeping what is left to do due now."""
    Clock.objects.filter(pk=clock.pk).update(
        state=state, warned_at=None, rung=0, next_action_at=START, next_rung_at=START
    )
    return Clock.objects.get(pk=clock.pk)


def footprint() -> tuple:
    """Everything a move would write: clocks and their history, escalations and theirs."""
    return (
        sorted(Clock.objects.values_list("pk", "state", "cycle", "rung", "started_at")),
        Clock.history.count(),
        sorted(Escalation.objects.values_list("pk", "acknowledged_at", "de_escalated_at")),
        Escalation.history.count(),
    )


def try_restart(referral, clinician):
    services.clock_start(subject=referral, kind="triage", due_at=START + 600 * MIN, started_at=START + 480 * MIN,
                         label="again", queue=referral.queue_item.queue)


def try_answer(referral, clinician):
    services.clock_stop(subject=referral, kind="triage", actor=clinician, reason="answered")


def try_reschedule(referral, clinician):
    services.clock_reschedule(subject=referral, kind="triage", due_at=START + 30 * MIN, actor=clinician)


def try_warn_or_climb(referral, clinician):
    assert services.escalations_fire_due(now=START + 24 * 60 * MIN) == 0


def try_acknowledge(referral, clinician):
    services.escalation_acknowledge(escalation=Escalation.objects.get(rung=1), actor=clinician, note="On it")


# How each service refuses a move the table does not allow. Starting a running clock and stopping
# a stopped one are idempotent by design (a retry, a second path to the same answer): refused by
# doing nothing. The poller never takes a clock its table will not move. Acknowledging says why.
SERVICES = {
    "restart": (try_restart, None),
    "answer": (try_answer, None),
    # Moving the due time of an answered clock changes nothing: the wait is over.
    "reschedule": (try_reschedule, None),
    "warn": (try_warn_or_climb, None),
    "climb": (try_warn_or_climb, None),
    "acknowledge": (try_acknowledge, "answered already"),
}


def test_every_move_of_the_clock_table_has_its_service_walked():
    assert set(SERVICES) == set(Clock.TRANSITIONS.moves)


@pytest.mark.parametrize(("move", "state"), Clock.TRANSITIONS.refused())
def test_each_move_the_table_refuses_the_service_refuses(waiting, clinician, move, state):
    put_in(clock_of(waiting), state)
    before = footprint()
    call, conflict = SERVICES[move]

    if conflict:
        with pytest.raises(Conflict, match=conflict):
            call(waiting, clinician)
    else:
        call(waiting, clinician)

    assert footprint() == before


def test_an_allowed_restart_and_answer_move_the_clock(waiting, clinician):
    try_answer(waiting, clinician)
    assert clock_of(waiting).state == Clock.State.ANSWERED

    try_restart(waiting, clinician)
    clock = clock_of(waiting)
    assert (clock.state, clock.cycle) == (Clock.State.OPEN, 2)


def test_de_escalating_is_written_to_each_live_step_history_naming_who_answered(waiting, clinician):
    services.escalations_fire_due(now=START + 150 * MIN)  # the duty lead and service manager rungs too
    live = list(Escalation.objects.filter(kind__in=["escalation", "skipped"]).order_by("rung"))
    assert len(live) == 3

    try_answer(waiting, clinician)

    for escalation in live:
        latest = escalation.history.order_by("-history_id").first()
        assert latest.de_escalated_at is not None and latest.history_user == clinician
    # Once: stopping again writes no more history.
    before = Escalation.history.count()
    try_answer(waiting, clinician)
    assert Escalation.history.count() == before

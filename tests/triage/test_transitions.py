"""Every move a queue item may not make is refused by the service that makes it (issue 12).

The walk reads ``QueueItem.TRANSITIONS.refused()``: a move added to the table without a service
here fails the first test, and each (move, state) the table does not allow is tried for real.
"""

import pytest

from ccc.exceptions import Conflict
from triage import services
from triage.models import QueueItem


def _claim(world):
    services.queue_item_claim(item=world["item"], actor=world["clinician"])


def _release(world):
    services.queue_item_release(item=world["item"], actor=world["clinician"], reason="Going out")


def _reassign(world):
    services.queue_item_reassign(
        item=world["item"], to=world["other_clinician"], actor=world["team_lead"], reason="Cover",
        expected_holder=world["item"].claimed_by,
    )


def _decide(outcome, **extra):
    def record(world):
        services.triage_decision_record(
            item=world["item"], actor=world["clinician"], priority="urgent", outcome=outcome,
            clinical_note="Assessed", **{name: world[value] for name, value in extra.items()},
        )

    return record


def _prioritise(world):
    services.queue_item_urgency_change(
        item=world["item"], actor=world["clinician"], urgency="emergency", reason="Worse on the phone"
    )


# Each move in the table, and the service call that makes it.
SERVICES = {
    "claim": _claim,
    "release": _release,
    "reassign": _reassign,
    "triage": _decide("accept"),
    "transfer": _decide("transfer", transfer_to="mental_queue"),
    "return_to_referrer": lambda world: services.queue_item_return(
        item=world["item"], actor=world["clinician"], reason="more_information_needed", note="Which leg?"
    ),
    "withdraw": lambda world: services.referral_cancel(
        referral=world["item"].referral, actor=world["clinician"], reason="Sent in error"
    ),
    "prioritise": _prioritise,
}


@pytest.fixture
def world(referral, clinician, other_clinician, team_lead, mental_queue):
    return {"item": referral.queue_item, "clinician": clinician, "other_clinician": other_clinician,
            "team_lead": team_lead, "mental_queue": mental_queue}


def test_every_move_in_the_queue_item_table_has_its_service_walked():
    assert set(SERVICES) == set(QueueItem.TRANSITIONS.moves)


# Cancelling what is already cancelled is the one repeat that is not refused: a double submit
# answers the first cancellation (test_a_second_cancellation_changes_nothing).
REPEATS = {("withdraw", QueueItem.Status.WITHDRAWN)}


@pytest.mark.parametrize(
    "move, state", [pair for pair in QueueItem.TRANSITIONS.refused() if pair not in REPEATS], ids=lambda value: value
)
def test_a_move_the_table_does_not_allow_is_refused_by_its_service(world, move, state):
    item = world["item"]
    # Held by the one acting wherever a holder matters, so it is the state alone that refuses.
    item.status = state
    item.claimed_by = None if state == QueueItem.Status.WAITING else world["clinician"]
    if move == "claim":
        item.claimed_by = None if state == QueueItem.Status.WAITING else world["other_clinician"]
    item.save()
    before = item.history.count()

    with pytest.raises(Conflict):
        SERVICES[move](world)

    item.refresh_from_db()
    assert (item.status, item.history.count()) == (state, before)


def test_a_second_cancellation_changes_nothing(world):
    referral = world["item"].referral
    _, first = services.referral_cancel(referral=referral, actor=world["clinician"], reason="Sent in error")
    item = QueueItem.objects.get(referral=referral)
    before = (item.history.count(), referral.timeline.count())

    item, second = services.referral_cancel(referral=referral, actor=world["clinician"], reason="Sent twice")

    assert (first, second) == (True, False)
    assert (item.status, item.handover_reason) == (QueueItem.Status.WITHDRAWN, "Sent in error")
    assert (item.history.count(), referral.timeline.count()) == before

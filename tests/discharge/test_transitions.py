"""Each Transfer of Care transition table, walked: every move it does not allow, from every state,
is refused by the service that makes the move, with Conflict, and changes nothing."""

import pytest
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from discharge import services
from discharge.models import CapacityBooking, Delay, FeedMessage, Inpatient, RegisterEntry, TrustedAssessment
from tests import factories


def in_state(row, **fields):
    """Put ``row`` in a state straight in the database (the walk is about what the service refuses)."""
    for name, value in fields.items():
        setattr(row, name, value)
    save_as(row, None)
    return row


def assert_refused(call, row) -> None:
    before = (type(row).objects.filter(pk=row.pk).values().get(), row.history.count())
    with pytest.raises(Conflict):
        call()
    assert (type(row).objects.filter(pk=row.pk).values().get(), row.history.count()) == before


@pytest.fixture
def world(toc_nurse, ward, intermediate_care, acute_trust):
    entry = factories.register_entry(actor=toc_nurse, ward_=ward)
    return toc_nurse, entry, intermediate_care, acute_trust


@pytest.fixture
def planned(world):
    """The world with the patient on the pathway of the service there."""
    actor, entry, service, _ = world
    services.pathway_set(entry=entry, actor=actor, pathway=service.pathway)
    return world


ENTRY_MOVES = {
    "update": lambda actor, entry, service, trust: services.entry_update(
        entry=entry, actor=actor, owner=None, next_action="", next_action_due=None, fit_on=entry.fit_on
    ),
    "set_pathway": lambda actor, entry, service, trust: services.pathway_set(entry=entry, actor=actor, pathway=2),
    "reserve": lambda actor, entry, service, trust: services.booking_reserve(entry=entry, service=service, actor=actor),
    "record_assessment": lambda actor, entry, service, trust: services.trusted_assessment_record(
        entry=entry, actor=actor, assessor_name="A. Nurse", assessor_organisation=trust,
        assessed_on=entry.fit_on, summary="Mobile with a frame",
    ),
    "record_delay": lambda actor, entry, service, trust: services.delay_record(
        entry=entry, actor=actor, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
    ),
    "review_criteria": lambda actor, entry, service, trust: services.residence_review_record(
        entry=entry, actor=actor, reviewed_on=timezone.localdate(), meets_criteria=False, not_met_since=entry.fit_on
    ),
    "set_discharge_dates": lambda actor, entry, service, trust: services.discharge_dates_set(
        entry=entry, actor=actor, discharge_ready_on=entry.fit_on, expected_discharge_on=None, reason="Ward round"
    ),
    "discharge": lambda actor, entry, service, trust: services.entry_discharge(
        entry=entry, actor=actor, discharged_on=timezone.localdate(), destination="Home", pathway_used=0,
        readmission_risk="low",
    ),
}


@pytest.mark.parametrize(("move", "state"), RegisterEntry.TRANSITIONS.refused())
def test_a_register_move_not_in_the_table_is_refused(world, move, state):
    actor, entry, service, trust = world
    in_state(entry, status=state, discharged_on=timezone.localdate())

    assert_refused(lambda: ENTRY_MOVES[move](actor, entry, service, trust), entry)


BOOKING_MOVES = {
    "occupy": lambda actor, booking: services.booking_occupy(booking=booking, actor=actor),
    "release": lambda actor, booking: services.booking_release(booking=booking, actor=actor),
}


@pytest.mark.parametrize(("move", "state"), CapacityBooking.TRANSITIONS.refused())
def test_a_booking_move_not_in_the_table_is_refused(planned, move, state):
    actor, entry, service, _ = planned
    booking = in_state(services.booking_reserve(entry=entry, service=service, actor=actor), status=state)

    assert_refused(lambda: BOOKING_MOVES[move](actor, booking), booking)


DELAY_MOVES = {
    "end": lambda actor, delay: services.delay_end(delay=delay, actor=actor, ends_on=timezone.localdate()),
    "sign_off": lambda actor, delay: services.delay_sign_off(delay=delay, actor=actor, partner="acute"),
}
DELAY_STATES = {Delay.Status.OPEN: {}, Delay.Status.ENDED: {"ends_on": timezone.localdate}}


@pytest.mark.parametrize(("move", "state"), Delay.TRANSITIONS.refused())
def test_a_delay_move_not_in_the_table_is_refused(world, move, state):
    actor, entry, _, _ = world
    delay = services.delay_record(
        entry=entry, actor=actor, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
    )
    delay = in_state(delay, **{name: make() for name, make in DELAY_STATES[state].items()})
    assert delay.status == state

    assert_refused(lambda: DELAY_MOVES[move](actor, delay), delay)


def test_a_delay_ended_by_the_service_is_in_the_ended_state(world):
    actor, entry, _, _ = world
    delay = services.delay_record(
        entry=entry, actor=actor, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
    )
    assert services.delay_end(delay=delay, actor=actor, ends_on=timezone.localdate()).status == Delay.Status.ENDED


ASSESSMENT_MOVES = {
    "accept": lambda actor, assessment, service: services.trusted_assessment_accept(
        assessment=assessment, actor=actor, service=service
    ),
}


@pytest.mark.parametrize(("move", "state"), TrustedAssessment.TRANSITIONS.refused())
def test_an_assessment_move_not_in_the_table_is_refused(planned, move, state):
    actor, entry, service, trust = planned
    assessment = ENTRY_MOVES["record_assessment"](actor, entry, service, trust)
    assessment = services.trusted_assessment_accept(assessment=assessment, actor=actor, service=service)
    assert assessment.status == state == TrustedAssessment.Status.ACCEPTED

    assert_refused(lambda: ASSESSMENT_MOVES[move](actor, assessment, service), assessment)


@pytest.mark.parametrize(
    ("model", "moves"),
    [(RegisterEntry, ENTRY_MOVES), (CapacityBooking, BOOKING_MOVES), (Delay, DELAY_MOVES), (TrustedAssessment, ASSESSMENT_MOVES)],
)
def test_every_move_of_each_table_is_walked_here(model, moves):
    """A move added to a table without a service call here would escape the walk."""
    assert set(moves) == set(model.TRANSITIONS.moves)


def test_every_delay_state_can_be_set_up_for_the_walk():
    assert set(DELAY_STATES) == Delay.TRANSITIONS.states


# --- The admissions feed: each ADT event is a move of the stay; a resolved message stays resolved ---

FEED_EVENTS = {"transfer": "A02", "discharge": "A03", "update": "A08", "cancel_admission": "A11",
               "cancel_discharge": "A13"}


@pytest.mark.parametrize(("move", "state"), Inpatient.TRANSITIONS.refused())
def test_a_feed_event_not_in_the_stays_table_is_answered_ae_and_changes_nothing(world, move, state):
    from tests.discharge.test_hl7_feed import adt

    actor, entry, _, _ = world
    stay = Inpatient.objects.create(
        visit_number="V0001", nhs_number="9990000026", given_name="Edith", family_name="Crawley",
        ward=entry.ward, admitted_on=entry.admitted_on, status=state,
    )
    before = (Inpatient.objects.filter(pk=stay.pk).values().get(), stay.history.count())

    answer = services.feed_message_receive(raw=adt(FEED_EVENTS[move], f"M-{move}", ward=entry.ward.code), actor=actor)

    assert answer.code == "AE"
    assert (Inpatient.objects.filter(pk=stay.pk).values().get(), stay.history.count()) == before


@pytest.mark.parametrize(("move", "state"), FeedMessage.TRANSITIONS.refused())
def test_a_feed_message_resolved_or_never_held_cannot_be_resolved_again(world, move, state):
    actor, _, _, _ = world
    message = FeedMessage.objects.create(
        control_id="M1", event="A01", raw="MSH|", received_at=timezone.now(), status=state, ack_code="AA"
    )

    assert_refused(
        lambda: services.feed_message_resolve(message=message, actor=actor, accept=move == "accept"), message
    )

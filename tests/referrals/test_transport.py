"""Patient transport: booking, and its status through the transition table."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.audit import update_as
from ccc.exceptions import Conflict
from referrals import selectors, services
from referrals.models import TransportBooking
from tests import factories
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db


def test_a_booking_moves_requested_booked_completed_recording_who(call_handler):
    booking = factories.transport_booking(actor=call_handler, escort_needed=True)
    assert booking.status == TransportBooking.Status.REQUESTED

    booking = services.transport_booking_book(booking=booking, actor=call_handler)
    booking = services.transport_booking_complete(booking=booking, actor=call_handler)

    assert booking.status == TransportBooking.Status.COMPLETED
    assert booking.status_changed_by == call_handler
    assert [h.status for h in booking.history.order_by("history_date")] == ["requested", "booked", "completed"]


def test_cancelling_needs_a_reason_and_keeps_it(call_handler):
    booking = factories.transport_booking(actor=call_handler)

    with pytest.raises(ValidationError, match="why"):
        services.transport_booking_cancel(booking=booking, actor=call_handler, reason=" ")
    booking = services.transport_booking_cancel(booking=booking, actor=call_handler, reason="Patient admitted")

    assert booking.status == TransportBooking.Status.CANCELLED
    assert booking.cancel_reason == "Patient admitted"


@pytest.mark.parametrize(
    "path, refused",
    [
        (["complete"], "requested: it cannot be marked completed"),
        (["book", "complete", "book"], "completed: it cannot be marked booked"),
        (["book", "complete", "cancel"], "completed: it cannot be marked cancelled"),
        (["cancel", "book"], "cancelled: it cannot be marked booked"),
    ],
)
def test_moves_the_table_does_not_allow_are_refused_with_a_reason(call_handler, path, refused):
    booking = factories.transport_booking(actor=call_handler)
    moves = {
        "book": lambda b: services.transport_booking_book(booking=b, actor=call_handler),
        "complete": lambda b: services.transport_booking_complete(booking=b, actor=call_handler),
        "cancel": lambda b: services.transport_booking_cancel(booking=b, actor=call_handler, reason="No longer needed"),
    }

    with pytest.raises(Conflict, match=refused):
        for step in path:
            booking = moves[step](booking)


def test_the_same_submission_twice_makes_one_booking(call_handler):
    first = factories.transport_booking(actor=call_handler, idempotency_key="same")
    again = factories.transport_booking(actor=call_handler, idempotency_key="same")

    assert again.pk == first.pk
    assert TransportBooking.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_submission_at_the_same_moment_makes_one_booking(call_handler):
    patient = factories.patient()

    outcomes = at_once(
        *[lambda: factories.transport_booking(actor=call_handler, patient_=patient, idempotency_key="k")] * 2
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert TransportBooking.objects.count() == 1


def test_a_pick_up_in_the_past_is_refused(call_handler):
    with pytest.raises(ValidationError, match="from now on"):
        factories.transport_booking(actor=call_handler, pickup_at=timezone.now() - timedelta(hours=1))


def test_the_list_shows_todays_and_upcoming_bookings_soonest_first(call_handler):
    later = factories.transport_booking(actor=call_handler, pickup_at=timezone.now() + timedelta(days=2))
    sooner = factories.transport_booking(actor=call_handler, pickup_at=timezone.now() + timedelta(minutes=30))
    past = factories.transport_booking(actor=call_handler)
    TransportBooking.objects.filter(pk=past.pk).update(pickup_at=timezone.now() - timedelta(days=2))

    assert list(selectors.transport_bookings_from_today(fetched_by=call_handler)) == [sooner, later]


def test_a_double_click_on_the_same_move_is_not_an_error(call_handler):
    booking = factories.transport_booking(actor=call_handler)

    services.transport_booking_book(booking=booking, actor=call_handler)
    again = services.transport_booking_book(booking=booking, actor=call_handler)

    assert again.status == TransportBooking.Status.BOOKED
    assert booking.history.count() == 2  # requested, booked: the second click wrote nothing


@pytest.mark.django_db(transaction=True)
def test_completing_and_cancelling_at_the_same_moment_cannot_both_win(call_handler):
    other = factories.user()
    booking = services.transport_booking_book(
        booking=factories.transport_booking(actor=call_handler), actor=call_handler
    )

    outcomes = at_once(
        lambda: services.transport_booking_complete(booking=booking, actor=call_handler),
        lambda: services.transport_booking_cancel(booking=booking, actor=other, reason="Patient unwell"),
    )

    lost = [isinstance(outcome, Conflict) for outcome in outcomes]
    assert sorted(lost) == [False, True]
    booking.refresh_from_db()
    assert booking.status == ("completed" if not lost[0] else "cancelled")


@pytest.mark.parametrize("move, state", TransportBooking.TRANSITIONS.refused())
def test_every_move_the_transition_table_does_not_allow_is_refused_by_its_service(call_handler, move, state):
    booking = factories.transport_booking(actor=call_handler)
    # Left in ``state`` by someone else, so no move is taken for a double click of this handler's own.
    other = factories.user()
    update_as(TransportBooking.objects.filter(pk=booking.pk), other, status=state, status_changed_by=other,
              cancel_reason="Set up for the test" if state == TransportBooking.Status.CANCELLED else "")
    services_for = {
        "book": lambda: services.transport_booking_book(booking=booking, actor=call_handler),
        "complete": lambda: services.transport_booking_complete(booking=booking, actor=call_handler),
        "cancel": lambda: services.transport_booking_cancel(booking=booking, actor=call_handler, reason="Not needed"),
    }

    with pytest.raises(Conflict, match=f"This booking is {state}"):
        services_for[move]()
    booking.refresh_from_db()
    assert booking.status == state

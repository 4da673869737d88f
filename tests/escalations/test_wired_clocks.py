"""The clocks other capabilities start and stop: a triage decision waiting for its first
response, a follow-up call waiting to be made, a transport request waiting to be booked.
``now`` is passed to the poller, never faked."""

from datetime import timedelta

import pytest
from django.utils import timezone

from escalations import services
from escalations.models import Clock, Escalation, EscalationRung, Notification
from referrals import services as referral_services
from referrals.models import FollowUpCall
from tests import factories
from triage import services as triage_services

MIN = timedelta(minutes=1)


def clock(subject, kind) -> Clock:
    return Clock.objects.get(subject_id=subject.pk, kind=kind)


@pytest.fixture
def default_ladder(manager):
    """For clocks in no duty queue: the service manager is told 30 minutes after the due time."""
    factories.ladder(None, rungs=[("Service manager", 30, EscalationRung.People.NAMED, [manager])])


# --- A triage decision waiting for its first response ----------------------------------------


@pytest.fixture
def accepted(physical_ladder, physical_queue, falls, call_handler, clinician):
    """An urgent referral accepted for an IRR episode, to be responded to within 120 minutes."""
    factories.response_target(queue=physical_queue, priority="urgent", minutes=120)
    referral = factories.referral(need=falls, actor=call_handler)
    return factories.triaged(referral_=referral, clinician=clinician, priority="urgent", outcome="accept")


def test_an_accepted_decision_starts_a_response_clock_due_at_its_respond_by_time(accepted, physical_queue):
    response = clock(accepted, triage_services.RESPONSE_CLOCK)

    assert response.state == Clock.State.OPEN
    assert (response.started_at, response.due_at) == (accepted.decided_at, accepted.respond_by)
    assert response.queue == physical_queue  # the queue's own ladder climbs it


def test_a_decision_without_a_response_target_has_no_response_clock(falls, call_handler, clinician):
    referral = factories.referral(need=falls, actor=call_handler)
    decision = factories.triaged(referral_=referral, clinician=clinician, outcome="accept")
    assert decision.respond_by is None
    assert not Clock.objects.filter(kind=triage_services.RESPONSE_CLOCK).exists()


def test_the_first_response_stops_the_clock_and_later_ones_change_nothing(accepted, clinician):
    triage_services.first_response_record(decision=accepted, at=timezone.now(), actor=clinician)
    answered = clock(accepted, triage_services.RESPONSE_CLOCK)
    assert (answered.state, answered.answered_by) == (Clock.State.ANSWERED, clinician)

    triage_services.first_response_record(decision=accepted, at=timezone.now(), actor=clinician)
    assert clock(accepted, triage_services.RESPONSE_CLOCK).cycle == 1


def test_an_unanswered_decision_escalates_on_the_referrals_timeline_and_de_escalates_at_the_visit(
    accepted, clinician, manager
):
    due = accepted.respond_by
    referral = accepted.queue_item.referral
    assert services.escalations_fire_due(now=due - MIN) == 1  # the warning, at 75% of the target

    # Due: the queue's duty clinicians; nobody is duty lead (no rota), so the service manager is next.
    services.escalations_fire_due(now=due + 15 * MIN)

    fired = Escalation.objects.filter(clock__kind=triage_services.RESPONSE_CLOCK)
    assert list(fired.values_list("rung_name", "kind")) == [
        ("", "warning"), ("Duty clinician", "escalation"), ("Duty lead", "skipped"), ("Service manager", "escalation")
    ]
    assert set(Notification.objects.filter(escalation__in=fired).values_list("recipient", flat=True)) == {
        clinician.pk, manager.pk
    }
    kinds = list(referral.timeline.values_list("kind", flat=True))
    assert kinds.count("escalated") == 3 and kinds.count("warned") == 1

    triage_services.first_response_record(decision=accepted, at=timezone.now(), actor=clinician)
    assert not fired.filter(de_escalated_at__isnull=True).exists()
    assert referral.timeline.filter(kind="de_escalated").exists()


# --- Follow-up calls -------------------------------------------------------------------------


@pytest.fixture
def calls(default_ladder, call_handler):
    return referral_services.follow_up_calls_schedule(
        patient=factories.patient(), discharged_on=timezone.localdate(), reason="High readmission risk",
        actor=call_handler,
    )


def test_each_scheduled_call_has_a_clock_due_when_the_call_is(calls):
    assert [clock(call, referral_services.FOLLOW_UP_CALL_CLOCK).due_at for call in calls] == [c.due_at for c in calls]


def test_scheduling_again_after_a_call_was_made_does_not_restart_its_clock(calls, call_handler):
    referral_services.follow_up_call_record_outcome(call=calls[0], actor=call_handler, status="answered_well")

    referral_services.follow_up_calls_schedule(
        patient=calls[0].patient, discharged_on=calls[0].discharged_on, reason="again", actor=call_handler
    )

    answered = clock(calls[0], referral_services.FOLLOW_UP_CALL_CLOCK)
    assert (answered.state, answered.cycle) == (Clock.State.ANSWERED, 1)


def test_a_call_scheduled_by_hand_has_a_clock_too(default_ladder, call_handler):
    due = timezone.now() + 60 * MIN
    call, _ = referral_services.follow_up_call_schedule(
        patient=factories.patient(), due_at=due, reason="Check on new medication", actor=call_handler,
        idempotency_key="hand-1",
    )
    assert clock(call, referral_services.FOLLOW_UP_CALL_CLOCK).due_at == due


def test_recording_no_answer_stops_the_clock_and_the_retry_gets_its_own(calls, call_handler):
    referral_services.follow_up_call_record_outcome(call=calls[0], actor=call_handler, status="no_answer")

    assert clock(calls[0], referral_services.FOLLOW_UP_CALL_CLOCK).state == Clock.State.ANSWERED
    retry = FollowUpCall.objects.get(retry_of=calls[0])
    retry_clock = clock(retry, referral_services.FOLLOW_UP_CALL_CLOCK)
    assert (retry_clock.state, retry_clock.due_at) == (Clock.State.OPEN, retry.due_at)
    assert "attempt 2" in retry_clock.label


def test_an_overdue_call_escalates_to_the_default_ladder(calls, manager, call_handler):
    first = calls[0]
    due = first.due_at

    services.escalations_fire_due(now=due + 29 * MIN)
    assert not Escalation.objects.filter(clock__subject_id=first.pk, kind=Escalation.Kind.ESCALATION).exists()
    services.escalations_fire_due(now=due + 30 * MIN)

    escalation = Escalation.objects.get(
        clock__subject_id=first.pk, clock__kind=referral_services.FOLLOW_UP_CALL_CLOCK, kind=Escalation.Kind.ESCALATION
    )
    assert Notification.objects.get(escalation=escalation).recipient == manager
    referral_services.follow_up_call_record_outcome(call=first, actor=call_handler, status="answered_well")
    escalation.refresh_from_db()
    assert escalation.de_escalated_at is not None


# --- Transport -------------------------------------------------------------------------------


def request_transport(actor, pickup_at, key="t-1"):
    booking, _ = referral_services.transport_booking_create(
        actor=actor, idempotency_key=key, patient=factories.patient(), pickup_from="Ward 7, Northfield General",
        destination="12 High Street", pickup_at=pickup_at, mobility="wheelchair",
    )
    return booking


def test_a_transport_request_must_be_booked_two_hours_before_pick_up(default_ladder, call_handler):
    pickup = timezone.now() + timedelta(days=1)
    booking = request_transport(call_handler, pickup)

    transport = clock(booking, referral_services.TRANSPORT_CLOCK)
    assert (transport.started_at, transport.due_at) == (booking.requested_at, pickup - timedelta(hours=2))


def test_a_short_notice_request_is_due_by_its_pick_up_time(default_ladder, call_handler):
    pickup = timezone.now() + 60 * MIN
    booking = request_transport(call_handler, pickup)
    assert clock(booking, referral_services.TRANSPORT_CLOCK).due_at == pickup


@pytest.mark.parametrize("move", ["book", "cancel"])
def test_booking_or_cancelling_stops_the_transport_clock(default_ladder, call_handler, move):
    booking = request_transport(call_handler, timezone.now() + timedelta(days=1))
    if move == "book":
        booking = referral_services.transport_booking_book(booking=booking, actor=call_handler)
        referral_services.transport_booking_complete(booking=booking, actor=call_handler)
    else:
        referral_services.transport_booking_cancel(booking=booking, actor=call_handler, reason="Family will drive")

    stopped = clock(booking, referral_services.TRANSPORT_CLOCK)
    assert (stopped.state, stopped.answered_by, stopped.cycle) == (Clock.State.ANSWERED, call_handler, 1)


def test_an_unbooked_request_escalates_and_a_repeated_submission_makes_one_clock(default_ladder, call_handler, manager):
    pickup = timezone.now() + timedelta(days=1)
    booking = request_transport(call_handler, pickup, key="same")
    assert request_transport(call_handler, pickup, key="same") == booking
    assert Clock.objects.filter(kind=referral_services.TRANSPORT_CLOCK).count() == 1

    services.escalations_fire_due(now=pickup - timedelta(hours=2) + 30 * MIN)

    escalation = Escalation.objects.get(clock__kind=referral_services.TRANSPORT_CLOCK, kind=Escalation.Kind.ESCALATION)
    assert Notification.objects.get(escalation=escalation).recipient == manager

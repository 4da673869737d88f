"""Follow-up calls after a discharge with a high risk of readmission."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.audit import update_as
from ccc.exceptions import Conflict
from ccc.models import User
from referrals import selectors, services
from referrals.models import FollowUpCall, FollowUpPolicy
from tests import factories
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db

DISCHARGE_REASON = "Discharged home after a fall; frailty, lives alone"


def schedule(patient, discharged_on, **kwargs):
    return services.follow_up_calls_schedule(
        patient=patient, discharged_on=discharged_on, reason=DISCHARGE_REASON, actor=None, **kwargs
    )


def record(call, actor, status, note=""):
    return services.follow_up_call_record_outcome(call=call, actor=actor, status=status, note=note)


def test_a_discharge_schedules_calls_on_day_2_and_day_7_at_ten_uk_time():
    patient = factories.patient()

    calls = schedule(patient, date(2026, 11, 2))

    assert [call.day_after_discharge for call in calls] == [2, 7]
    assert [timezone.localtime(call.due_at).replace(tzinfo=None) for call in calls] == [
        datetime(2026, 11, 4, 10, 0),
        datetime(2026, 11, 9, 10, 0),
    ]
    assert all(call.status == FollowUpCall.Status.DUE and call.reason == DISCHARGE_REASON for call in calls)


def test_the_days_are_the_ones_an_administrator_set():
    FollowUpPolicy.objects.create(default_days="1, 3, 14", call_time=time(14, 30))

    calls = schedule(factories.patient(), date(2026, 11, 2))

    assert [call.day_after_discharge for call in calls] == [1, 3, 14]
    assert timezone.localtime(calls[0].due_at).time() == time(14, 30)


def test_the_discharge_app_may_name_its_own_days():
    assert [call.day_after_discharge for call in schedule(factories.patient(), date(2026, 11, 2), days=[3])] == [3]


def test_a_badly_typed_day_list_is_refused_in_the_policy():
    with pytest.raises(ValidationError, match="whole days"):
        FollowUpPolicy(default_days="two, seven").full_clean()


def test_a_call_due_just_after_the_clocks_go_forward_is_due_at_ten_bst():
    # Discharged Friday 27 March 2026; day 2 is Sunday 29 March, the first day of BST.
    calls = schedule(factories.patient(), date(2026, 3, 27), days=[2])

    assert calls[0].due_at == datetime(2026, 3, 29, 9, 0, tzinfo=UTC)


def test_scheduling_the_same_discharge_twice_does_not_double_the_calls():
    patient = factories.patient()

    first = schedule(patient, date(2026, 11, 2))
    again = schedule(patient, date(2026, 11, 2))

    assert [call.pk for call in again] == [call.pk for call in first]
    assert FollowUpCall.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_scheduling_the_same_discharge_at_the_same_moment_makes_one_set_of_calls():
    patient = factories.patient()

    outcomes = at_once(lambda: schedule(patient, date(2026, 11, 2)), lambda: schedule(patient, date(2026, 11, 2)))

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert FollowUpCall.objects.count() == 2


def test_answered_and_well_records_who_and_when():
    handler = factories.user(User.Role.CALL_HANDLER)
    call = factories.follow_up_call()

    record(call, handler, FollowUpCall.Status.ANSWERED_WELL, "Managing well, daughter visiting daily")

    call.refresh_from_db()
    assert call.status == FollowUpCall.Status.ANSWERED_WELL
    assert call.outcome_by == handler
    assert timezone.now() - call.outcome_at < timedelta(seconds=10)
    assert call.history.first().history_user == handler


def test_concerns_need_a_note():
    call = factories.follow_up_call()

    with pytest.raises(ValidationError, match="concerns"):
        record(call, factories.user(), FollowUpCall.Status.ANSWERED_CONCERNS, "  ")

    call.refresh_from_db()
    assert call.status == FollowUpCall.Status.DUE


def test_no_answer_schedules_a_retry_until_the_attempts_run_out():
    FollowUpPolicy.objects.create(default_days="2, 7", retry_after_minutes=90, max_attempts=2)
    handler = factories.user()
    call = factories.follow_up_call()

    record(call, handler, FollowUpCall.Status.NO_ANSWER)

    retry = FollowUpCall.objects.get(retry_of=call)
    assert retry.attempt == 2 and retry.status == FollowUpCall.Status.DUE
    assert timedelta(minutes=89) < retry.due_at - timezone.now() <= timedelta(minutes=90)

    record(retry, handler, FollowUpCall.Status.NO_ANSWER)

    assert FollowUpCall.objects.count() == 2  # the last attempt: no third call


def test_a_call_cannot_be_completed_twice():
    first, second = factories.user(first_name="Sarah"), factories.user()
    call = factories.follow_up_call()
    record(call, first, FollowUpCall.Status.DECLINED)

    with pytest.raises(Conflict, match="already recorded as “Declined” by Sarah"):
        record(call, second, FollowUpCall.Status.ANSWERED_WELL)


@pytest.mark.django_db(transaction=True)
def test_two_handlers_recording_the_same_call_at_once_cannot_both_win():
    one, two = factories.user(), factories.user()
    call = factories.follow_up_call()

    outcomes = at_once(
        lambda: record(FollowUpCall.objects.get(pk=call.pk), one, FollowUpCall.Status.ANSWERED_WELL),
        lambda: record(FollowUpCall.objects.get(pk=call.pk), two, FollowUpCall.Status.NO_ANSWER),
    )

    lost = [isinstance(outcome, Conflict) for outcome in outcomes]
    assert sorted(lost) == [False, True]
    call.refresh_from_db()
    assert call.outcome_by == (one if not lost[0] else two)
    # Only the winner's outcome counts: a retry exists only if "no answer" won.
    assert FollowUpCall.objects.filter(retry_of=call).exists() == (call.status == FollowUpCall.Status.NO_ANSWER)


def call_due(at):
    call = factories.follow_up_call()
    FollowUpCall.objects.filter(pk=call.pk).update(due_at=at)  # as if scheduled days ago
    return call


def test_the_work_list_has_calls_due_today_and_overdue_soonest_first():
    handler = factories.user(User.Role.CALL_HANDLER)
    now = timezone.now()
    today_start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    due_today = call_due(max(today_start, now - timedelta(minutes=1)))
    overdue = call_due(now - timedelta(days=1, minutes=1))
    call_due(today_start + timedelta(days=1, hours=9))  # tomorrow
    done = call_due(now - timedelta(hours=1))
    record(done, handler, FollowUpCall.Status.ANSWERED_WELL)

    assert list(selectors.follow_up_work_list(fetched_by=handler)) == [overdue, due_today]


def test_a_call_by_hand_must_be_due_from_now_on():
    with pytest.raises(ValidationError, match="from now on"):
        factories.follow_up_call(due_at=timezone.now() - timedelta(hours=2))


def test_a_double_click_on_the_same_outcome_is_not_an_error():
    handler = factories.user()
    call = factories.follow_up_call()

    record(call, handler, FollowUpCall.Status.NO_ANSWER)
    again = record(call, handler, FollowUpCall.Status.NO_ANSWER)

    assert again.status == FollowUpCall.Status.NO_ANSWER
    assert FollowUpCall.objects.filter(retry_of=call).count() == 1


@pytest.mark.parametrize("move, state", FollowUpCall.TRANSITIONS.refused())
def test_every_outcome_the_transition_table_does_not_allow_is_refused_by_the_service(call_handler, move, state):
    call = factories.follow_up_call()
    # Recorded by someone else, so no outcome is taken for a double click of this handler's own.
    other = factories.user()
    update_as(FollowUpCall.objects.filter(pk=call.pk), other, status=state, outcome_by=other, outcome_at=timezone.now())

    with pytest.raises(Conflict, match="already recorded"):
        record(call, call_handler, move, note="Concerns about breathing")
    call.refresh_from_db()
    assert call.status == state
    assert FollowUpCall.objects.count() == 1  # no retry was scheduled

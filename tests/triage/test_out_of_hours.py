"""Phased services and out of hours: where a referral goes, and what routing says about it."""

from datetime import UTC, datetime

import pytest

from tests import factories
from triage import services
from triage.models import OutOfHoursDate, OutOfHoursPeriod

pytestmark = pytest.mark.django_db

# Monday 23 November 2026, UK winter time (GMT = UTC).
MONDAY_EVENING = datetime(2026, 11, 23, 21, 0, tzinfo=UTC)
MONDAY_AFTERNOON = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


@pytest.fixture
def weekday_nights(db):
    """Monday to Friday 20:00 to 08:00 the next morning, Saturday and Sunday all day."""
    for day in range(5):
        factories.out_of_hours_period(day, "20:00", "08:00")
    factories.out_of_hours_period(5, "00:00", "00:00")
    factories.out_of_hours_period(6, "00:00", "00:00")


@pytest.fixture
def ooh_queue(db):
    return factories.duty_queue(code="out-of-hours", name="Out-of-hours duty queue", is_out_of_hours_queue=True)


def refer(need, at):
    return factories.referral(need=need, actor=factories.user(), received_at=at)


def test_out_of_hours_a_referral_for_a_queue_without_cover_goes_to_the_out_of_hours_queue(
    weekday_nights, ooh_queue, falls
):
    referral = refer(falls, MONDAY_EVENING)

    assert referral.queue_item.queue == ooh_queue
    routed = referral.timeline.get(kind="routed").summary
    assert "out of hours" in routed and "Physical health duty queue has no cover" in routed


def test_in_hours_the_same_referral_goes_to_its_own_queue(weekday_nights, ooh_queue, falls, physical_queue):
    assert refer(falls, MONDAY_AFTERNOON).queue_item.queue == physical_queue


def test_a_queue_with_out_of_hours_cover_keeps_its_referrals_at_night(weekday_nights, ooh_queue, crisis, mental_queue):
    mental_queue.has_out_of_hours_cover = True
    mental_queue.save()

    assert refer(crisis, MONDAY_EVENING).queue_item.queue == mental_queue


def test_with_the_out_of_hours_queue_switched_off_the_daytime_rules_apply_and_say_why(
    weekday_nights, ooh_queue, falls, physical_queue
):
    ooh_queue.is_active = False
    ooh_queue.save()

    referral = refer(falls, MONDAY_EVENING)

    assert referral.queue_item.queue == physical_queue
    assert "out-of-hours queue is switched off" in referral.timeline.get(kind="routed").summary


def test_with_no_out_of_hours_queue_the_fallback_is_used_and_the_reason_given(weekday_nights, physical_queue):
    social = factories.duty_queue(code="social-care", name="Social care duty queue", is_active=False)
    need = factories.need(queue=social, fallback=physical_queue)

    queue, summary = services.route_for(need, at=MONDAY_EVENING)

    assert queue == physical_queue
    assert "Social care duty queue is switched off" in summary
    assert "out-of-hours queue is not set up" in summary


def test_a_bank_holiday_is_out_of_hours_all_day(ooh_queue, falls):
    OutOfHoursDate.objects.create(date=MONDAY_AFTERNOON.date(), name="A bank holiday")

    assert refer(falls, MONDAY_AFTERNOON).queue_item.queue == ooh_queue


def test_weekends_are_out_of_hours_all_day(weekday_nights, ooh_queue, falls):
    saturday_noon = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert services.is_out_of_hours(saturday_noon)
    assert services.is_out_of_hours(datetime(2026, 11, 29, 23, 59, tzinfo=UTC))
    assert not services.is_out_of_hours(datetime(2026, 11, 30, 9, 0, tzinfo=UTC))  # Monday morning


@pytest.mark.parametrize(
    "utc, out_of_hours",
    [
        # Clocks go forward at 01:00 UTC on Sunday 29 March 2026: 08:00 in the UK is then 07:00 UTC.
        (datetime(2026, 3, 29, 6, 30, tzinfo=UTC), True),  # 07:30 BST
        (datetime(2026, 3, 29, 7, 30, tzinfo=UTC), False),  # 08:30 BST: daytime, though 07:30 UTC
        (datetime(2026, 3, 28, 19, 30, tzinfo=UTC), False),  # Saturday 19:30 GMT, before the clocks change
        # Clocks go back at 01:00 UTC on Sunday 25 October 2026: the evening before is still BST.
        (datetime(2026, 10, 24, 19, 30, tzinfo=UTC), True),  # Saturday 20:30 BST
        (datetime(2026, 10, 25, 7, 30, tzinfo=UTC), True),  # Sunday 07:30 GMT
        (datetime(2026, 10, 25, 8, 0, tzinfo=UTC), False),  # Sunday 08:00 GMT
    ],
)
def test_a_period_across_a_clock_change_keeps_to_uk_wall_clock_time(utc, out_of_hours):
    # Saturday night into Sunday morning, the night the clocks change.
    OutOfHoursPeriod.objects.create(weekday=5, starts="20:00", ends="08:00")

    assert services.is_out_of_hours(utc) is out_of_hours


def test_switching_changes_routing_from_that_moment_and_never_moves_routed_referrals(
    weekday_nights, ooh_queue, falls, physical_queue
):
    first = refer(falls, MONDAY_EVENING)
    assert first.queue_item.queue == ooh_queue

    ooh_queue.is_active = False
    ooh_queue.save()
    second = refer(falls, MONDAY_EVENING)

    first.queue_item.refresh_from_db()
    assert first.queue_item.queue == ooh_queue  # stays where it was routed
    assert second.queue_item.queue == physical_queue

    ooh_queue.is_active = True
    ooh_queue.save()
    physical_queue.has_out_of_hours_cover = True
    physical_queue.save()
    third = refer(falls, MONDAY_EVENING)

    second.queue_item.refresh_from_db()
    assert second.queue_item.queue == physical_queue
    assert third.queue_item.queue == physical_queue


def test_only_one_queue_can_be_the_out_of_hours_queue(ooh_queue):
    from django.core.exceptions import ValidationError

    other = factories.duty_queue()
    other.is_out_of_hours_queue = True
    with pytest.raises(ValidationError, match="already the out-of-hours queue"):
        other.full_clean()

"""Each dashboard figure on hand-built data with known answers, in UK local time."""

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ccc.reporting import Period, PeriodKind, Scope, SQLitePercentileCont
from referrals.models import Referral
from referrals.selectors import referrals_by_source, referrals_per_day, referrals_per_hour_of_week
from reporting.figures import FIGURES
from tests import factories
from triage.selectors import referrals_by_queue, time_to_triage, triage_waiting_now

EVERYWHERE = Scope(None)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def week_of(day: date) -> Period:
    return Period.around(PeriodKind.WEEK, day)


def hour_count(rows, weekday: str, hour: int) -> int:
    return next(row["referrals"] for row in rows if row["weekday"] == weekday and row["hour"] == f"{hour:02d}:00")


@pytest.fixture
def refer(falls, call_handler):
    def make(received_at, need=None, **kwargs):
        return factories.referral_at(need=need or falls, actor=call_handler, received_at=received_at, **kwargs)

    return make


def test_periods_are_whole_uk_days_with_23_hours_on_the_day_the_clocks_go_forward():
    day = Period.around(PeriodKind.DAY, date(2025, 3, 30))
    assert (day.start, day.end) == (utc(2025, 3, 30, 0), utc(2025, 3, 30, 23))

    week = week_of(date(2025, 3, 26))
    assert (week.first, week.last) == (date(2025, 3, 24), date(2025, 3, 30))
    month = Period.around(PeriodKind.MONTH, date(2024, 2, 10))
    assert (month.first, month.last) == (date(2024, 2, 1), date(2024, 2, 29))
    custom = Period.around(PeriodKind.CUSTOM, date(2025, 1, 1), date(2025, 1, 3))
    assert len(custom.days) == 3
    with pytest.raises(ValueError):
        Period.around(PeriodKind.CUSTOM, date(2025, 1, 3), date(2025, 1, 1))


def test_every_figure_answers_an_empty_period_with_zeros_or_nothing(db, physical_queue):
    period = week_of(date(2025, 3, 26))

    for figure in FIGURES:
        rows = figure.rows(period, EVERYWHERE)
        assert all(row.get("referrals", 0) == 0 for row in rows), figure.slug
    assert len(referrals_per_day(period, EVERYWHERE)) == 7
    assert len(referrals_per_hour_of_week(period, EVERYWHERE)) == 168
    assert referrals_by_queue(period, EVERYWHERE) == []
    assert time_to_triage(period, EVERYWHERE) == []
    assert triage_waiting_now(period, EVERYWHERE) == [
        {"queue": physical_queue.name, "waiting": 0, "in_triage": 0, "overdue": 0, "longest_wait_minutes": None}
    ]


def test_referrals_are_counted_on_their_uk_day_and_hour_across_the_clocks_going_forward(refer):
    # Week of Monday 24 to Sunday 30 March 2025; the clocks went forward at 01:00 UTC on the Sunday.
    refer(utc(2025, 3, 23, 23, 30))  # Sunday 23rd 23:30 GMT: the week before
    refer(utc(2025, 3, 24, 0, 30))  # Monday 00:30 GMT
    refer(utc(2025, 3, 30, 0, 30))  # Sunday 00:30 GMT
    refer(utc(2025, 3, 30, 1, 30))  # Sunday 02:30 BST (there was no 01:30)
    refer(utc(2025, 3, 30, 22, 30))  # Sunday 23:30 BST
    refer(utc(2025, 3, 30, 23, 30))  # Monday 31st 00:30 BST: the week after
    period = week_of(date(2025, 3, 27))

    per_day = {row["day"]: row["referrals"] for row in referrals_per_day(period, EVERYWHERE)}
    per_hour = referrals_per_hour_of_week(period, EVERYWHERE)

    assert per_day == {date(2025, 3, 24): 1, **{date(2025, 3, d): 0 for d in range(25, 30)}, date(2025, 3, 30): 3}
    assert hour_count(per_hour, "Monday", 0) == 1
    assert [hour_count(per_hour, "Sunday", hour) for hour in (0, 1, 2, 23)] == [1, 0, 1, 1]
    assert sum(row["referrals"] for row in per_hour) == 4


def test_the_day_the_clocks_go_back_has_25_hours_of_referrals(refer):
    refer(utc(2025, 10, 25, 23, 30))  # Sunday 26th 00:30 BST
    refer(utc(2025, 10, 26, 0, 30))  # 01:30 BST
    refer(utc(2025, 10, 26, 1, 30))  # 01:30 GMT, the second one
    refer(utc(2025, 10, 26, 23, 30))  # 23:30 GMT, still the 26th
    refer(utc(2025, 10, 27, 0, 30))  # Monday 27th

    day = Period.around(PeriodKind.DAY, date(2025, 10, 26))

    assert referrals_per_day(day, EVERYWHERE) == [{"day": date(2025, 10, 26), "referrals": 4}]
    assert hour_count(referrals_per_hour_of_week(day, EVERYWHERE), "Sunday", 1) == 2


def test_referrals_by_source_and_by_queue(refer, crisis):
    day = utc(2025, 6, 2, 10)
    refer(day, referrer_type=Referral.ReferrerType.GP)
    refer(day, referrer_type=Referral.ReferrerType.GP)
    refer(day, referrer_type=Referral.ReferrerType.WARD)
    refer(day, need=crisis, referrer_type=Referral.ReferrerType.PATIENT)
    period = Period.around(PeriodKind.DAY, date(2025, 6, 2))

    by_source = referrals_by_source(period, EVERYWHERE)
    by_queue = referrals_by_queue(period, EVERYWHERE)

    # Most first; a tie keeps the order of the referral form.
    assert by_source[:3] == [
        {"source": "GP", "referrals": 2},
        {"source": "Patient (self-referral)", "referrals": 1},
        {"source": "Hospital ward", "referrals": 1},
    ]
    assert len(by_source) == len(Referral.ReferrerType.choices)
    assert sum(row["referrals"] for row in by_source) == 4
    assert by_queue == [
        {"queue": "Physical health duty queue", "referrals": 3},
        {"queue": "Mental health duty queue", "referrals": 1},
    ]


def test_time_to_triage_gives_median_90th_percentile_and_share_within_target(
    refer, clinician, mental_clinician, crisis
):
    start = utc(2025, 6, 2, 9)
    # Physical health, target 120 minutes: urgent ones took 10, 20, 30 and 200 minutes.
    for minutes in (10, 20, 30, 200):
        refer(start, triaged_by=clinician, minutes_to_triage=minutes, priority="urgent")
    refer(start, triaged_by=clinician, minutes_to_triage=5, priority="emergency")
    refer(start)  # not triaged yet: not in this figure
    # Mental health, target 240 minutes.
    refer(start, need=crisis, triaged_by=mental_clinician, minutes_to_triage=300, priority="routine")
    refer(utc(2025, 6, 9, 9), triaged_by=clinician, minutes_to_triage=1, priority="urgent")  # the week after

    rows = time_to_triage(week_of(date(2025, 6, 2)), EVERYWHERE)

    assert rows == [
        {
            "queue": "Mental health duty queue",
            "priority": "Routine",
            "target_minutes": 240,
            "triaged": 1,
            "median_minutes": 300.0,
            "p90_minutes": 300.0,
            "within_target": 0,
            "within_target_percent": 0.0,
        },
        {
            "queue": "Physical health duty queue",
            "priority": "Emergency",
            "target_minutes": 120,
            "triaged": 1,
            "median_minutes": 5.0,
            "p90_minutes": 5.0,
            "within_target": 1,
            "within_target_percent": 100.0,
        },
        # percentile_cont: the median of 10, 20, 30, 200 is 25; the 90th is 30 + 0.7 * (200 - 30) = 149.
        {
            "queue": "Physical health duty queue",
            "priority": "Urgent",
            "target_minutes": 120,
            "triaged": 4,
            "median_minutes": 25.0,
            "p90_minutes": 149.0,
            "within_target": 3,
            "within_target_percent": 75.0,
        },
    ]


def test_waiting_now_counts_open_work_and_the_longest_wait(refer, clinician, physical_queue, mental_queue):
    now = timezone.now()
    refer(now - timedelta(minutes=180))  # waiting, past its 120-minute target
    refer(now - timedelta(minutes=30))  # waiting
    claimed = refer(now - timedelta(minutes=60))
    from triage.services import queue_item_claim

    queue_item_claim(item=claimed.queue_item, actor=clinician)
    refer(now - timedelta(minutes=500), triaged_by=clinician, minutes_to_triage=10)  # done: not counted
    mental_queue.is_active = False
    mental_queue.save()  # switched off and empty: left out

    rows = triage_waiting_now(week_of(date(2020, 1, 1)), EVERYWHERE)

    assert rows == [
        {"queue": physical_queue.name, "waiting": 2, "in_triage": 1, "overdue": 1, "longest_wait_minutes": 180}
    ]


def test_a_scope_counts_only_its_queues(refer, crisis, physical_queue):
    day = utc(2025, 6, 2, 10)
    refer(day)
    refer(day, need=crisis)
    period = Period.around(PeriodKind.DAY, date(2025, 6, 2))
    physical_only = Scope(frozenset({physical_queue.pk}), "Physical")

    assert referrals_by_queue(period, physical_only) == [{"queue": physical_queue.name, "referrals": 1}]
    assert sum(row["referrals"] for row in referrals_per_day(period, physical_only)) == 1
    assert [row["queue"] for row in triage_waiting_now(period, physical_only)] == [physical_queue.name]
    assert sum(row["referrals"] for row in referrals_per_day(period, Scope(frozenset()))) == 0


@pytest.mark.parametrize("values", [[7.0], [10.0, 20.0, 30.0, 200.0], [3.0, 1.0, 2.0, 9.5, 4.25, 8.0, 0.5]])
@pytest.mark.parametrize("fraction", [0.0, 0.5, 0.9, 1.0])
def test_the_sqlite_percentile_matches_postgresql_percentile_cont(db, values, fraction):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT percentile_cont(%s) WITHIN GROUP (ORDER BY v) FROM unnest(%s::float8[]) AS v", [fraction, values]
        )
        expected = cursor.fetchone()[0]
    sqlite = sqlite3.connect(":memory:")
    sqlite.create_aggregate("ccc_percentile_cont", 2, SQLitePercentileCont)
    sqlite.execute("CREATE TABLE t (v REAL)")
    sqlite.executemany("INSERT INTO t VALUES (?)", [(v,) for v in [*values, None]])

    found = sqlite.execute("SELECT ccc_percentile_cont(v, ?) FROM t", [fraction]).fetchone()[0]

    assert found == pytest.approx(expected)

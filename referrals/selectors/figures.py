"""Figures for the dashboard (reporting/figures.py lists them): plain functions (period, scope) -> rows,
each one query computed by the database, bucketed in UK local time."""

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from ccc.reporting import Period, Scope
from referrals.models import Contact, Referral
from referrals.selectors.contacts import current_contacts
from triage.models import QueueItem

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def referrals_received(period: Period, scope: Scope) -> QuerySet[Referral]:
    """Referrals received in the period, in the scope's duty queues (the base of every referral count)."""
    received = Referral.objects.filter(received_at__gte=period.start, received_at__lt=period.end).order_by()
    if scope.queue_ids is None:
        return received
    # A semi-join on the scope's queue items, bounded below by the period (nothing is routed before it
    # is received), reads an index range instead of joining every queue item ever routed.
    routed = QueueItem.objects.filter(routed_at__gte=period.start, queue_id__in=scope.queue_ids)
    return received.filter(pk__in=routed.values("referral_id"))


def referrals_per_day(period: Period, scope: Scope) -> list[dict]:
    """Referrals received on each local day of the period, days with none included."""
    return _per_day(referrals_received(period, scope), "received_at", period, "referrals")


def _per_day(queryset: QuerySet, field: str, period: Period, key: str) -> list[dict]:
    """``queryset`` counted per local day of ``field`` (one query), days with none included."""
    counts = dict(
        queryset.annotate(day=TruncDate(field, tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("*"))
        .values_list("day", "n")
    )
    return [{"day": day, key: counts.get(day, 0)} for day in period.days]


def referrals_per_hour_of_week(period: Period, scope: Scope) -> list[dict]:
    """Referrals received in each local hour of each weekday (168 rows, Monday 00:00 first).

    The database counts per local hour of the period (at most 24 a day, whatever the data);
    those few rows are then folded onto the week here. Cheaper than extracting two fields from
    every referral, and the hour repeated when the clocks go back counts in its hour, twice.
    """
    return _per_hour_of_week(referrals_received(period, scope), "received_at", "referrals")


def _per_hour_of_week(queryset: QuerySet, field: str, key: str) -> list[dict]:
    """``queryset`` counted per local hour of ``field`` by the database, folded onto the week's 168 hours."""
    zone = timezone.get_current_timezone()
    counts: dict[tuple[int, int], int] = {}
    for hour_start, n in (
        queryset.annotate(hour_start=TruncHour(field, tzinfo=zone))
        .values("hour_start")
        .annotate(n=Count("*"))
        .values_list("hour_start", "n")
    ):
        local = timezone.localtime(hour_start, zone)
        slot = (local.isoweekday(), local.hour)
        counts[slot] = counts.get(slot, 0) + n
    return [
        {"weekday": name, "hour": f"{hour:02d}:00", key: counts.get((number, hour), 0)}
        for number, name in enumerate(WEEKDAYS, start=1)
        for hour in range(24)
    ]


def referrals_by_source(period: Period, scope: Scope) -> list[dict]:
    """Referrals by who referred (GP, ward, self...), every kind listed, most first."""
    counts = dict(
        referrals_received(period, scope)
        .values("referrer_type")
        .annotate(n=Count("*"))
        .values_list("referrer_type", "n")
    )
    rows = [{"source": label, "referrals": counts.get(value, 0)} for value, label in Referral.ReferrerType.choices]
    return sorted(rows, key=lambda row: -row["referrals"])


# Figures for the dashboard: the front desk's contacts. Contacts belong to no duty queue, so
# these are system-wide (reporting shows them to managers and administrators only) and ignore
# the scope. Only current versions count: an amended contact is counted once, as amended.


def contacts_started(period: Period, scope: Scope) -> QuerySet[Contact]:
    return current_contacts().filter(started_at__gte=period.start, started_at__lt=period.end).order_by()


def contacts_per_day(period: Period, scope: Scope) -> list[dict]:
    """Contacts started on each local day of the period, days with none included."""
    return _per_day(contacts_started(period, scope), "started_at", period, "contacts")


def contacts_per_hour_of_week(period: Period, scope: Scope) -> list[dict]:
    """Contacts started in each local hour of each weekday (168 rows, Monday 00:00 first)."""
    return _per_hour_of_week(contacts_started(period, scope), "started_at", "contacts")


def contacts_by_source(period: Period, scope: Scope) -> list[dict]:
    """Contacts by who called (caller type), every kind listed, most first."""
    counts = dict(
        contacts_started(period, scope).values("caller_type").annotate(n=Count("*")).values_list("caller_type", "n")
    )
    rows = [{"source": label, "contacts": counts.get(value, 0)} for value, label in Referral.ReferrerType.choices]
    return sorted(rows, key=lambda row: -row["contacts"])


def contacts_by_outcome(period: Period, scope: Scope) -> list[dict]:
    """Contacts by outcome ("just to talk", signposted, referral created...), every outcome listed, in form order."""
    counts = dict(contacts_started(period, scope).values("outcome").annotate(n=Count("*")).values_list("outcome", "n"))
    return [{"outcome": label, "contacts": counts.get(value, 0)} for value, label in Contact.Outcome.choices]

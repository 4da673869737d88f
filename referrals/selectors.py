"""Reads for patients and referrals, scoped to the person asking."""

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate, TruncHour
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import User
from ccc.nhs_number import normalise_nhs_number
from ccc.permissions import scope_referrals
from ccc.reporting import Period, Scope
from referrals.models import Patient, Referral, TimelineEvent
from triage.models import QueueItem, TriageDecision


def referral_list(*, fetched_by: User) -> QuerySet[Referral]:
    return scope_referrals(
        fetched_by,
        Referral.objects.select_related(
            "patient", "need", "received_by", "queue_item__queue", "queue_item__claimed_by"
        ),
    )


def referral_get(*, public_id, fetched_by: User) -> Referral:
    """One referral with its timeline and decisions; 404 to anyone who may not see it."""
    queryset = referral_list(fetched_by=fetched_by).prefetch_related(
        Prefetch("timeline", queryset=TimelineEvent.objects.select_related("actor")),
        Prefetch("queue_item__decisions", queryset=TriageDecision.objects.select_related("decided_by")),
    )
    return get_object_or_404(queryset, public_id=public_id)


def patient_search(*, nhs_number: str = "", name: str = "", date_of_birth: date | None = None) -> QuerySet[Patient]:
    """Patients matching an NHS number, or a name (first, last or both) with an optional date of birth."""
    if nhs_number:
        return Patient.objects.filter(nhs_number=normalise_nhs_number(nhs_number))
    queryset = Patient.objects.all()
    if not (name or date_of_birth):
        return queryset.none()
    for word in name.split():
        queryset = queryset.filter(Q(family_name__istartswith=word) | Q(given_name__istartswith=word))
    if date_of_birth:
        queryset = queryset.filter(date_of_birth=date_of_birth)
    return queryset[:50]


def patient_get(*, public_id) -> Patient:
    return get_object_or_404(Patient, public_id=public_id)


# Figures for the dashboard (reporting/figures.py lists them): plain functions (period, scope) -> rows,
# each one query computed by the database, bucketed in UK local time.

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
    counts = dict(
        referrals_received(period, scope)
        .annotate(day=TruncDate("received_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(referrals=Count("*"))
        .values_list("day", "referrals")
    )
    return [{"day": day, "referrals": counts.get(day, 0)} for day in period.days]


def referrals_per_hour_of_week(period: Period, scope: Scope) -> list[dict]:
    """Referrals received in each local hour of each weekday (168 rows, Monday 00:00 first).

    The database counts per local hour of the period (at most 24 a day, whatever the data);
    those few rows are then folded onto the week here. Cheaper than extracting two fields from
    every referral, and the hour repeated when the clocks go back counts in its hour, twice.
    """
    zone = timezone.get_current_timezone()
    counts: dict[tuple[int, int], int] = {}
    for hour_start, referrals in (
        referrals_received(period, scope)
        .annotate(hour_start=TruncHour("received_at", tzinfo=zone))
        .values("hour_start")
        .annotate(referrals=Count("*"))
        .values_list("hour_start", "referrals")
    ):
        local = timezone.localtime(hour_start, zone)
        key = (local.isoweekday(), local.hour)
        counts[key] = counts.get(key, 0) + referrals
    return [
        {"weekday": name, "hour": f"{hour:02d}:00", "referrals": counts.get((number, hour), 0)}
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

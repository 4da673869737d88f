"""Reads for Transfer of Care. Counts and sums are computed by the database (aggregates and
annotations), so the board and the figures cost a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, require, roles_granted
from discharge.models import (
    PATHWAYS_WITH_CAPACITY,
    Attribution,
    BedOccupancy,
    CapacityBooking,
    Delay,
    DelaySignOff,
    Pathway,
    PathwayChange,
    PathwayService,
    RegisterEntry,
    TransferOfCareSettings,
)

STRANDED_DAYS = 7
SUPER_STRANDED_DAYS = 21


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _open_delay(entry_ref: str = "pk") -> QuerySet[Delay]:
    return Delay.objects.filter(entry=OuterRef(entry_ref), ends_on__isnull=True)


def _holding_booking() -> QuerySet[CapacityBooking]:
    return CapacityBooking.objects.filter(entry=OuterRef("pk"), status__in=CapacityBooking.HOLDING)


def _entries(fetched_by: User) -> QuerySet[RegisterEntry]:
    require(fetched_by, Action.TOC_VIEW)
    return RegisterEntry.objects.select_related("patient", "ward", "owner").annotate(
        delay_reason=Subquery(_open_delay().values("reason__name")[:1]),
        delay_attribution=Subquery(_open_delay().values("attribution")[:1]),
        delay_since=Subquery(_open_delay().values("starts_on")[:1]),
        booked_service=Subquery(_holding_booking().values("service__name")[:1]),
        booking_status=Subquery(_holding_booking().values("status")[:1]),
    )


def board(
    *,
    fetched_by: User,
    ward_id: int | None = None,
    pathway: int | str | None = None,
    owner_id: int | None = None,
    workable: str = "",
) -> QuerySet[RegisterEntry]:
    """The daily board: patients on the register still in hospital, longest-fit first.

    ``pathway`` "none" means no plan yet. ``workable`` "yes": no open delay, the team can act
    today; "waiting": an open delay, waiting on someone else.
    """
    queryset = _entries(fetched_by).filter(status=RegisterEntry.Status.OPEN)
    if ward_id:
        queryset = queryset.filter(ward_id=ward_id)
    if pathway == "none":
        queryset = queryset.filter(pathway__isnull=True)
    elif pathway not in (None, ""):
        queryset = queryset.filter(pathway=int(pathway))
    if owner_id:
        queryset = queryset.filter(owner_id=owner_id)
    if workable == "yes":
        queryset = queryset.filter(delay_reason__isnull=True)
    elif workable == "waiting":
        queryset = queryset.filter(delay_reason__isnull=False)
    return queryset.order_by(F("fit_on").asc(nulls_last=True), "admitted_on", "pk")


def toc_team() -> QuerySet[User]:
    """The people who may own a register entry: whoever may work the register, active."""
    return User.objects.filter(is_active=True, role__in=roles_granted(Action.TOC_WORK)).order_by(
        "first_name", "last_name"
    )


def entry_get(*, public_id, fetched_by: User) -> RegisterEntry:
    queryset = _entries(fetched_by).select_related(
        "trusted_assessment__assessor_organisation", "irr_episode__team"
    ).prefetch_related(
        Prefetch("pathway_changes", queryset=PathwayChange.objects.select_related("changed_by")),
        Prefetch(
            "delays",
            queryset=Delay.objects.select_related("reason", "recorded_by").prefetch_related(
                Prefetch("sign_offs", queryset=DelaySignOff.objects.select_related("signed_by"))
            ),
        ),
        Prefetch("bookings", queryset=CapacityBooking.objects.select_related("service", "reserved_by")),
    )
    return get_object_or_404(queryset, public_id=public_id)


def patient_entries(*, patient, fetched_by: User) -> QuerySet[RegisterEntry]:
    """The patient's stays on the register, the latest first, each with its current delay: one query."""
    return _entries(fetched_by).filter(patient=patient).order_by("-registered_at", "-pk")


def delay_get(*, public_id, fetched_by: User) -> Delay:
    require(fetched_by, Action.TOC_VIEW)
    return get_object_or_404(Delay.objects.select_related("entry__patient"), public_id=public_id)


def stranded(*, fetched_by: User, today: date | None = None) -> QuerySet[RegisterEntry]:
    """Patients in hospital 7 days or more (super-stranded: 21 or more), for the weekly review."""
    cutoff = _today(today) - timedelta(days=STRANDED_DAYS)
    return (
        _entries(fetched_by)
        .filter(status=RegisterEntry.Status.OPEN, admitted_on__lte=cutoff)
        .order_by("admitted_on", "pk")
    )


# --- Figures for the board and the managers' dashboard --------------------------------------


def stranded_counts(*, today: date | None = None) -> dict[str, int]:
    today = _today(today)
    return RegisterEntry.objects.filter(status=RegisterEntry.Status.OPEN).aggregate(
        stranded=Count("pk", filter=Q(admitted_on__lte=today - timedelta(days=STRANDED_DAYS))),
        super_stranded=Count("pk", filter=Q(admitted_on__lte=today - timedelta(days=SUPER_STRANDED_DAYS))),
    )


def mffd_by_pathway(*, today: date | None = None) -> dict[int | None, int]:
    """MFFD patients in hospital today, by pathway (None: no plan yet)."""
    rows = (
        RegisterEntry.objects.filter(status=RegisterEntry.Status.OPEN, fit_on__lte=_today(today))
        .values("pathway")
        .annotate(patients=Count("pk"))
        .order_by("pathway")
    )
    return {row["pathway"]: row["patients"] for row in rows}


def _bookings_counted(status: str) -> Coalesce:
    """Bookings of a service in one status, as a subquery so services can be summed after it."""
    counted = (
        CapacityBooking.objects.filter(service=OuterRef("pk"), status=status)
        .order_by()
        .values("service")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def capacity_today() -> QuerySet[PathwayService]:
    """Each active pathway service with today's occupied, reserved and free places."""
    return (
        PathwayService.objects.filter(is_active=True)
        .annotate(
            reserved=_bookings_counted(CapacityBooking.Status.RESERVED),
            occupied=_bookings_counted(CapacityBooking.Status.OCCUPIED) + F("occupied_by_others"),
        )
        .annotate(free=Greatest(F("capacity") - F("occupied") - F("reserved"), Value(0)))
        .order_by("pathway", "name")
    )


@dataclass
class PathwayDemand:
    pathway: int
    label: str
    waiting: int  # on the pathway, in hospital, with no bed or slot held
    free: int
    unmet: int  # waiting beyond the free places


def unmet_demand() -> list[PathwayDemand]:
    """Patients waiting for a pathway's capacity, against its free places. Two aggregate queries."""
    waiting = dict(
        RegisterEntry.objects.filter(status=RegisterEntry.Status.OPEN, pathway__in=PATHWAYS_WITH_CAPACITY)
        .exclude(bookings__status__in=CapacityBooking.HOLDING)
        .values_list("pathway")
        .annotate(Count("pk"))
        .order_by()
    )
    free = dict(
        capacity_today().order_by().values("pathway").annotate(total=Sum("free")).values_list("pathway", "total")
    )
    demand = []
    for pathway in PATHWAYS_WITH_CAPACITY:
        w, f = waiting.get(pathway, 0), free.get(pathway, 0) or 0
        demand.append(PathwayDemand(pathway, Pathway(pathway).label, w, f, max(0, w - f)))
    return demand


def month_bounds(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def _delayed_days_in(start: date, end: date, today: date) -> ExpressionWrapper:
    """Midnights of each delay inside [start, end). An open delay runs to today (tonight's
    midnight has not passed). Date arithmetic on local dates: a clock change cannot move it."""
    delay_end = Coalesce(F("ends_on"), Value(today, output_field=DateField()))
    return ExpressionWrapper(
        Least(delay_end, Value(end, output_field=DateField()))
        - Greatest(F("starts_on"), Value(start, output_field=DateField())),
        output_field=DurationField(),
    )


def _delays_in(start: date, end: date, today: date) -> QuerySet[Delay]:
    """Delays with at least one delayed midnight inside [start, end)."""
    return Delay.objects.annotate(
        effective_end=Coalesce(F("ends_on"), Value(today, output_field=DateField()))
    ).filter(starts_on__lt=end, effective_end__gt=start).filter(effective_end__gt=F("starts_on"))


def _days(value: timedelta | None) -> int:
    return value.days if value else 0


@dataclass
class MonthlyFigures:
    year: int
    month: int
    delayed_days: int
    occupied_bed_days: int
    rate_percent: Decimal | None  # None without occupancy figures
    target_percent: Decimal
    by_attribution: list[dict]
    by_reason: list[dict]

    @property
    def within_target(self) -> bool | None:
        return None if self.rate_percent is None else self.rate_percent <= self.target_percent

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


def delayed_transfer_figures(*, year: int, month: int, today: date | None = None) -> MonthlyFigures:
    """Delayed bed days and the delayed-transfer rate for a month, by attribution and reason.

    Rate = delayed bed days / occupied bed days x 100 (DOMAIN.md), against the local target.
    """
    today = _today(today)
    start, end = month_bounds(year, month)
    days = _delayed_days_in(start, end, today)
    delays = _delays_in(start, end, today)
    delayed = _days(delays.aggregate(total=Sum(days))["total"])
    by_attribution = [
        {"attribution": row["attribution"], "delayed_days": _days(row["total"])}
        for row in delays.values("attribution").annotate(total=Sum(days)).order_by("attribution")
    ]
    by_reason = [
        {
            "code_set": row["reason__code_set"],
            "code": row["reason__code"],
            "reason": row["reason__name"],
            "delayed_days": _days(row["total"]),
        }
        for row in delays.values("reason__code_set", "reason__code", "reason__name")
        .annotate(total=Sum(days))
        .order_by("-total", "reason__name")
    ]
    occupied = (
        BedOccupancy.objects.filter(date__gte=start, date__lt=end).aggregate(total=Sum("occupied_beds"))["total"] or 0
    )
    rate = None
    if occupied:
        rate = (Decimal(delayed) * 100 / Decimal(occupied)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return MonthlyFigures(
        year=year,
        month=month,
        delayed_days=delayed,
        occupied_bed_days=occupied,
        rate_percent=rate,
        target_percent=TransferOfCareSettings.current().delayed_transfer_target_percent,
        by_attribution=by_attribution,
        by_reason=by_reason,
    )


def bed_occupancy_by_ward(*, year: int, month: int) -> QuerySet:
    """Occupied bed days per ward in a month, and on how many days figures were entered."""
    start, end = month_bounds(year, month)
    return (
        BedOccupancy.objects.filter(date__gte=start, date__lt=end)
        .values("ward__code", "ward__name")
        .annotate(occupied_bed_days=Sum("occupied_beds"), days_recorded=Count("pk"))
        .order_by("ward__name")
    )


# Figures for the dashboard: the functions above as (period, scope) -> rows. Transfer of Care is
# system-wide (its wards and pathways belong to no duty queue): reporting shows these to managers
# and administrators only, and they ignore the scope. "Now" figures are as of today.


def _months(period) -> list[tuple[int, int]]:
    """Each calendar month the period touches (a week may straddle two)."""
    months, year, month = [], period.first.year, period.first.month
    while (year, month) <= (period.last.year, period.last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def mffd_today(period, scope) -> list[dict]:
    """MFFD patients in hospital today by pathway (no plan yet first), with the pathway's free places today."""
    patients = mffd_by_pathway()
    free = dict(
        capacity_today().order_by().values("pathway").annotate(total=Sum("free")).values_list("pathway", "total")
    )
    rows = [{"pathway": "No plan yet", "patients": patients.get(None, 0), "free_places": None}]
    for pathway in Pathway:
        has_capacity = pathway in PATHWAYS_WITH_CAPACITY
        rows.append(
            {
                "pathway": pathway.label,
                "patients": patients.get(pathway.value, 0),
                "free_places": (free.get(pathway.value) or 0) if has_capacity else None,
            }
        )
    return rows


def stranded_now(period, scope) -> list[dict]:
    """Patients in hospital 7 days or more (stranded) and 21 or more (super-stranded), today."""
    counts = stranded_counts()
    return [
        {"measure": f"Stranded ({STRANDED_DAYS} days or more)", "patients": counts["stranded"]},
        {"measure": f"Super-stranded ({SUPER_STRANDED_DAYS} days or more)", "patients": counts["super_stranded"]},
    ]


def delayed_transfer_rate(period, scope) -> list[dict]:
    """Delayed days and the delayed-transfer rate (delayed / occupied bed days x 100) of each month the
    period touches, in all and by attribution, against the target (a few queries a month)."""
    rows = []
    for year, month in _months(period):
        figures = delayed_transfer_figures(year=year, month=month)
        occupied = figures.occupied_bed_days
        target = float(figures.target_percent)
        labels = dict(Attribution.choices)
        for attribution, delayed in [
            ("All", figures.delayed_days),
            *((labels[row["attribution"]], row["delayed_days"]) for row in figures.by_attribution),
        ]:
            rate = round(delayed * 100 / occupied, 2) if occupied else None
            rows.append(
                {
                    "month": figures.first_day.strftime("%B %Y"),
                    "attribution": attribution,
                    "delayed_days": delayed,
                    "occupied_bed_days": occupied,
                    "rate_percent": rate,
                    "target_percent": target,
                    "within_target": None if rate is None else ("Yes" if rate <= target else "No"),
                }
            )
    return rows


def bed_occupancy(period, scope) -> list[dict]:
    """Occupied bed days per ward in each month the period touches, and on how many days they were recorded."""
    return [
        {
            "month": date(year, month, 1).strftime("%B %Y"),
            "ward": row["ward__name"],
            "occupied_bed_days": row["occupied_bed_days"],
            "days_recorded": row["days_recorded"],
        }
        for year, month in _months(period)
        for row in bed_occupancy_by_ward(year=year, month=month)
    ]

"""Figures: delayed bed days and the delayed-transfer rate for a month, bed occupancy, and the
same as (period, scope) -> rows for the managers' dashboard."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, DurationField, ExpressionWrapper, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least

from discharge.models import (
    PATHWAYS_WITH_CAPACITY,
    Attribution,
    BedOccupancy,
    Delay,
    DelayReason,
    Pathway,
    TransferOfCareSettings,
)
from discharge.selectors.register import (
    STRANDED_DAYS,
    SUPER_STRANDED_DAYS,
    _today,
    capacity_today,
    mffd_by_pathway,
    stranded_counts,
)


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
    attribution_labels = dict(Attribution.choices)
    code_set_labels = dict(DelayReason.CodeSet.choices)
    # Codes for machines, labels in words for people (pages and exports show only the labels).
    by_attribution = [
        {
            "attribution": row["attribution"],
            "label": attribution_labels.get(row["attribution"], row["attribution"]),
            "delayed_days": _days(row["total"]),
        }
        for row in delays.values("attribution").annotate(total=Sum(days)).order_by("attribution")
    ]
    by_reason = [
        {
            "code_set": row["reason__code_set"],
            "code_set_label": code_set_labels.get(row["reason__code_set"], row["reason__code_set"]),
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
        for attribution, delayed in [
            ("All", figures.delayed_days),
            *((row["label"], row["delayed_days"]) for row in figures.by_attribution),
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

"""Reads of the register: the daily board, one entry, the stranded list, who may own an entry,
and today's capacity. Counts are computed by the database (aggregates and annotations), so the
board costs a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, require, roles_granted
from discharge.models import (
    PATHWAYS_WITH_CAPACITY,
    CapacityBooking,
    Delay,
    DelaySignOff,
    Pathway,
    PathwayChange,
    PathwayService,
    RegisterEntry,
    ResidenceReview,
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
        Prefetch("residence_reviews", queryset=ResidenceReview.objects.select_related("reviewed_by")),
    )
    return get_object_or_404(queryset, public_id=public_id)


def patient_entries(*, patient, fetched_by: User) -> QuerySet[RegisterEntry]:
    """The patient's stays on the register, the latest first, each with its current delay: one query."""
    return _entries(fetched_by).filter(patient=patient).order_by("-registered_at", "-pk")


def patient_hospital_stays(*, patient, fetched_by: User, limit: int = 10) -> list[RegisterEntry]:
    """The patient's stays on the register, the latest first, for the triage page's summary: one query.

    Shown to whoever may open the patient's record (referrals.patient_page.patient_summary_parts
    asks first), not only the Transfer of Care team.
    """
    return list(RegisterEntry.objects.filter(patient=patient).select_related("ward").order_by("-admitted_on", "-pk")[:limit])


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


# --- Counts for the board, the capacity page and the dashboard ---------------------------------


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



"""Reads for the directory: search, one service, stale services, signposting figures."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, can
from directory.models import (
    DAY_CODES,
    Attribute,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Signposting,
    TaxonomyTerm,
)
from directory.text import without_accents

MAX_QUERY_LENGTH = 200
# A full postcode ("LS6 2AB") or its outward code alone ("LS6").
POSTCODE = re.compile(r"^(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)(?:\s*[0-9][A-Z]{2})?$")


@dataclass(frozen=True)
class SearchFilters:
    text: str = ""
    term: TaxonomyTerm | None = None
    area: str = ""
    age: int | None = None
    criteria: str = ""
    open_now: bool = False
    self_referral: bool = False


def _scoped(user: User, queryset: QuerySet) -> QuerySet:
    return queryset if can(user, Action.DIRECTORY_SEARCH) else queryset.none()


def service_details(queryset: QuerySet[Service], *, identifiers: bool = False) -> QuerySet[Service]:
    """Everything a result or a service page shows, in a fixed number of queries; with
    ``identifiers``, the organisation's registered numbers too (one service, or the ORUK export)."""
    if identifiers:
        queryset = queryset.prefetch_related("organization__identifiers")
    return queryset.select_related("organization").prefetch_related(
        Prefetch("attributes", queryset=Attribute.objects.select_related("taxonomy_term")),
        "schedules",
        "service_areas",
        "contacts",
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
    )


def outward_code(area: str) -> str | None:
    """The outward code (postcode district) of a postcode or district, or None for a place name."""
    match = POSTCODE.match(" ".join(area.upper().split()))
    return match.group("outward") if match else None


def _words(value: str) -> str:
    """Typed text as plain words: spaces collapsed, NUL bytes (which PostgreSQL refuses) dropped, capped."""
    return " ".join(value.replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def service_search(*, fetched_by: User, filters: SearchFilters, at: datetime | None = None) -> QuerySet[Service]:
    """Active services matching every filter given, best match first."""
    queryset = _scoped(fetched_by, Service.objects.filter(status=Service.Status.ACTIVE))
    text = without_accents(_words(filters.text))  # as the search document is: "cafe" finds "Café"
    ordering = ["name", "id"]
    if text:
        if connection.vendor == "postgresql":
            query = SearchQuery(text, config="english", search_type="websearch")
            queryset = queryset.filter(search_vector=query).annotate(rank=SearchRank(F("search_vector"), query))
            ordering = ["-rank", *ordering]
        else:  # SQLite, the demo's database: every word somewhere in the text
            for word in text.split()[:10]:
                queryset = queryset.filter(search_document__icontains=word)
    if filters.term is not None:
        terms = TaxonomyTerm.objects.filter(Q(pk=filters.term.pk) | Q(parent=filters.term.pk)).values("pk")
        queryset = queryset.filter(pk__in=Attribute.objects.filter(taxonomy_term__in=terms).values("service_id"))
    area = _words(filters.area)
    if area:
        district = outward_code(area)
        areas = (
            ServiceArea.objects.filter(district_index__contains=f" {district} ")
            if district
            else ServiceArea.objects.filter(name__icontains=area)
        )
        queryset = queryset.filter(pk__in=areas.values("service_id"))
    if filters.age is not None:
        queryset = queryset.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=filters.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=filters.age),
        )
    for word in _words(filters.criteria).split()[:10]:
        queryset = queryset.filter(eligibility__icontains=word[:50])
    if filters.self_referral:
        queryset = queryset.filter(self_referral=True)
    if filters.open_now:
        queryset = queryset.filter(pk__in=open_schedules(at or timezone.now()).values("service_id"))
    return queryset.order_by(*ordering)


def open_schedules(at: datetime) -> QuerySet[Schedule]:
    """Weekly schedules open at ``at``, read in UK local time (BST or GMT as the date has it).

    A schedule that closes before it opens runs past midnight: on the next morning it is still
    open under the day it opened.
    """
    local = timezone.localtime(at)
    today, now = local.date(), local.time()
    day = DAY_CODES[local.weekday()]
    yesterday = DAY_CODES[(local.weekday() - 1) % 7]

    def on(code: str, when: date) -> Q:
        valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=when)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=when))
        return (Q(byday="") | Q(byday__contains=code)) & valid

    normal = Q(opens_at__lt=F("closes_at"), opens_at__lte=now, closes_at__gt=now)
    overnight = Q(closes_at__lte=F("opens_at"))
    return Schedule.objects.filter(opens_at__isnull=False, closes_at__isnull=False).filter(
        (on(day, today) & normal)
        | (on(day, today) & overnight & Q(opens_at__lte=now))
        | (on(yesterday, today - timedelta(days=1)) & overnight & Q(closes_at__gt=now))
    )


def is_open(service: Service, at: datetime) -> bool:
    """Whether a service (with its schedules prefetched) is open at ``at``: the page's "Open now"."""
    local = timezone.localtime(at)
    now = local.time()
    day, yesterday = DAY_CODES[local.weekday()], DAY_CODES[(local.weekday() - 1) % 7]
    for schedule in service.schedules.all():
        if schedule.opens_at is None or schedule.closes_at is None:
            continue
        days = schedule.byday.split(",") if schedule.byday else DAY_CODES
        valid_today = (schedule.valid_from is None or schedule.valid_from <= local.date()) and (
            schedule.valid_to is None or schedule.valid_to >= local.date()
        )
        if schedule.opens_at < schedule.closes_at:
            if day in days and valid_today and schedule.opens_at <= now < schedule.closes_at:
                return True
        else:
            if day in days and valid_today and now >= schedule.opens_at:
                return True
            if yesterday in days and now < schedule.closes_at:
                return True
    return False


def service_get(*, service_id, fetched_by: User) -> Service:
    """One service, retired ones too: old records that name a retired service still open it."""
    return get_object_or_404(service_details(_scoped(fetched_by, Service.objects.all()), identifiers=True), pk=service_id)


def services_not_reviewed(
    *, fetched_by: User, today: date | None = None, months: int = 12, due_within_days: int = 0
) -> QuerySet[Service]:
    """Services in use whose last review is over ``months`` old (or will be within ``due_within_days``),
    or that were never reviewed."""
    today = today or timezone.localdate()
    cutoff = _months_before(today + timedelta(days=due_within_days), months)
    queryset = Service.objects.exclude(status=Service.Status.DEFUNCT).filter(
        Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff)
    )
    return _scoped(fetched_by, queryset).select_related("organization").order_by(
        F("assured_date").asc(nulls_first=True), "name"
    )


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for candidate in range(day.day, 0, -1):  # 29 February a year back is 28 February
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def taxonomy_terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.select_related("taxonomy").order_by("name")


@dataclass(frozen=True)
class SignpostingFigures:
    by_service: list[dict]  # {"service_id", "service__name", "count"}
    unmet_by_need: list[dict]  # {"need", "count"}


def signposting_figures(*, fetched_by: User, start: datetime, end: datetime) -> SignpostingFigures:
    """For managers: how often each service was signposted to, and which needs went unmet, in [start, end)."""
    queryset = _scoped(fetched_by, Signposting.objects.filter(signposted_at__gte=start, signposted_at__lt=end))
    by_service = list(
        queryset.filter(unmet_need=False)
        .values("service_id", "service__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "service__name")
    )
    unmet = list(queryset.filter(unmet_need=True).values("need").annotate(count=Count("pk")).order_by("-count", "need"))
    return SignpostingFigures(by_service=by_service, unmet_by_need=unmet)


def signpostings_for(*, referral=None, contact=None) -> list[Signposting]:
    """Where a referral, or every version of a contact, was signposted (and needs left unmet): one query.

    The caller has already fetched the referral or contact for the person asking.
    """
    queryset = Signposting.objects.select_related("service", "signposted_by").order_by("-signposted_at", "-pk")
    if contact is not None:
        thread = contact.thread_id
        return list(queryset.filter(Q(contact_id=thread) | Q(contact__original_id=thread)))
    return list(queryset.filter(referral=referral))


# Figures for the dashboard: signposting as (period, scope) -> rows, like signposting_figures
# above but for the reporting registry. Signposting is the front desk's, in no duty queue: these
# are system-wide (reporting shows them to managers and administrators only) and ignore the scope.


def _signposted_in(period) -> QuerySet[Signposting]:
    return Signposting.objects.filter(signposted_at__gte=period.start, signposted_at__lt=period.end).order_by()


def signposting_by_service(period, scope) -> list[dict]:
    """How often each service was signposted to in the period, most first (services never used left out)."""
    rows = (
        _signposted_in(period)
        .filter(unmet_need=False)
        .values("service__name")
        .annotate(signposted=Count("pk"))
        .order_by("-signposted", "service__name")
    )
    return [{"service": row["service__name"], "signposted": row["signposted"]} for row in rows]


def unmet_needs(period, scope) -> list[dict]:
    """Needs recorded as unmet (no service found) in the period, per need, most first."""
    return list(
        _signposted_in(period)
        .filter(unmet_need=True)
        .values("need")
        .annotate(unmet=Count("pk"))
        .order_by("-unmet", "need")
    )

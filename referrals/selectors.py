"""Reads for patients and referrals, scoped to the person asking."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate, TruncHour
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import User
from ccc.nhs_number import normalise_nhs_number
from ccc.permissions import Action, can
from ccc.phone import normalise_phone
from ccc.postcodes import normalise_postcode
from ccc.reporting import Period, Scope
from referrals.models import (
    Contact,
    FollowUpCall,
    FrequentContactRule,
    NeedCategory,
    Patient,
    Referral,
    TimelineEvent,
    TransportBooking,
)
from referrals.permissions import scope_tracked_referrals
from triage.models import QueueItem, TriageDecision
from triage.permissions import scope_referrals


def referral_list(*, fetched_by: User) -> QuerySet[Referral]:
    return scope_referrals(
        fetched_by,
        Referral.objects.select_related(
            "patient", "need", "received_by", "queue_item__queue", "queue_item__claimed_by", "allocated_team"
        ),
    )


def referral_get(*, public_id, fetched_by: User) -> Referral:
    """One referral with its timeline and decisions; 404 to anyone who may not see it."""
    queryset = referral_list(fetched_by=fetched_by).prefetch_related(
        Prefetch("timeline", queryset=TimelineEvent.objects.select_related("actor")),
        Prefetch("queue_item__decisions", queryset=TriageDecision.objects.select_related("decided_by", "transfer_to")),
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


def _start_of_day(day) -> datetime:
    """Midnight at the start of ``day``, UK local time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _end_of_today() -> datetime:
    return _start_of_day(timezone.localdate() + timedelta(days=1))


def follow_up_work_list(*, fetched_by: User) -> QuerySet[FollowUpCall]:
    """Follow-up calls due today or overdue, the one due soonest first: the call handlers' work list."""
    if not can(fetched_by, Action.FOLLOW_UP_CALL_VIEW):
        return FollowUpCall.objects.none()
    return (
        FollowUpCall.objects.filter(status=FollowUpCall.Status.DUE, due_at__lt=_end_of_today())
        .select_related("patient")
        .order_by("due_at", "pk")
    )


def follow_up_calls(*, fetched_by: User, patient: Patient | None = None) -> QuerySet[FollowUpCall]:
    if not can(fetched_by, Action.FOLLOW_UP_CALL_VIEW):
        return FollowUpCall.objects.none()
    queryset = FollowUpCall.objects.select_related("patient", "outcome_by")
    return queryset.filter(patient=patient) if patient else queryset


def follow_up_call_get(*, public_id, fetched_by: User) -> FollowUpCall:
    return get_object_or_404(follow_up_calls(fetched_by=fetched_by), public_id=public_id)


def transport_bookings(*, fetched_by: User) -> QuerySet[TransportBooking]:
    if not can(fetched_by, Action.TRANSPORT_VIEW):
        return TransportBooking.objects.none()
    return TransportBooking.objects.select_related("patient", "status_changed_by").order_by("pickup_at", "pk")


def transport_bookings_from_today(*, fetched_by: User) -> QuerySet[TransportBooking]:
    """Today's and upcoming bookings, the soonest pick-up first."""
    start_of_today = _start_of_day(timezone.localdate())
    return transport_bookings(fetched_by=fetched_by).filter(pickup_at__gte=start_of_today)


def transport_booking_get(*, public_id, fetched_by: User) -> TransportBooking:
    return get_object_or_404(transport_bookings(fetched_by=fetched_by), public_id=public_id)


def patient_probable_duplicates(
    *, given_name: str, family_name: str, date_of_birth: date, postcode: str
) -> QuerySet[Patient]:
    """People who may already be this person: same name, date of birth and postcode.

    The same NHS number is refused outright by the unique constraint, not offered here.
    """
    if not (given_name and family_name and date_of_birth and postcode):
        return Patient.objects.none()
    return Patient.objects.filter(
        given_name__iexact=given_name.strip(),
        family_name__iexact=family_name.strip(),
        date_of_birth=date_of_birth,
        postcode=normalise_postcode(postcode),
    )


def patient_find(
    *, nhs_number: str = "", name: str = "", date_of_birth: date | None = None, postcode: str = ""
) -> QuerySet[Patient]:
    """Find a patient by NHS number, or name with date of birth, or postcode (with a name to narrow it)."""
    if postcode and not nhs_number:
        queryset = Patient.objects.filter(postcode=normalise_postcode(postcode))
        for word in name.split():
            queryset = queryset.filter(Q(family_name__istartswith=word) | Q(given_name__istartswith=word))
        if date_of_birth:
            queryset = queryset.filter(date_of_birth=date_of_birth)
        return queryset[:50]
    return patient_search(nhs_number=nhs_number, name=name, date_of_birth=date_of_birth)


# The front desk: contacts, frequent contacts and the patient page.


def frequent_contact_rule() -> FrequentContactRule:
    """The rule an administrator set; the issue's 5 in 30 days if they removed it."""
    return FrequentContactRule.objects.order_by("pk").first() or FrequentContactRule(min_contacts=5, within_days=30)


def current_contacts() -> QuerySet[Contact]:
    """Contacts as they stand: the latest version of each, never the ones an amendment replaced."""
    return Contact.objects.filter(amended_by__isnull=True)


def contact_current(*, thread_id: int) -> Contact:
    return current_contacts().get(Q(pk=thread_id) | Q(original_id=thread_id))


def _recent_count(rule: FrequentContactRule, field: str) -> Coalesce:
    """How many current contacts share this row's ``field`` (caller phone or patient) in the rule's period."""
    since = timezone.now() - timedelta(days=rule.within_days)
    counted = (
        current_contacts()
        .filter(**{field: OuterRef(field), "started_at__gte": since})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted), 0)


def _recent_counts(rule: FrequentContactRule) -> dict:
    return {
        "caller_recent": Case(When(caller_phone="", then=Value(0)), default=_recent_count(rule, "caller_phone")),
        "patient_recent": Case(When(patient__isnull=True, then=Value(0)), default=_recent_count(rule, "patient")),
    }


def contact_list(*, fetched_by: User, query: str = "", rule: FrequentContactRule | None = None) -> QuerySet[Contact]:
    """Current contacts, newest first, with how often their caller and their patient were in touch lately.

    ``query`` matches the caller's name or phone number, or the patient's name or NHS number.
    """
    if not can(fetched_by, Action.CONTACT_VIEW):
        return Contact.objects.none()
    rule = rule or frequent_contact_rule()
    queryset = current_contacts().select_related("patient", "recorded_by", "referral")
    query = query.strip()
    if query:
        match = Q(caller_name__icontains=query) | Q(patient__family_name__istartswith=query)
        match |= Q(patient__given_name__istartswith=query)
        digits = normalise_nhs_number(query)
        if digits.isdigit() and len(digits) == 10:
            match |= Q(patient__nhs_number=digits)
        try:
            phone = normalise_phone(query)
        except ValidationError:
            phone = ""
        if phone:
            match |= Q(caller_phone=phone)
        queryset = queryset.filter(match)
    return queryset.annotate(**_recent_counts(rule))


def contact_recent_counts(*, contact: Contact, rule: FrequentContactRule) -> tuple[int, int]:
    """How often this contact's caller (phone) and patient were in touch in the rule's period."""
    row = (
        Contact.objects.filter(pk=contact.pk)
        .annotate(**_recent_counts(rule))
        .values_list("caller_recent", "patient_recent")
        .get()
    )
    return row


def contact_get(*, public_id, fetched_by: User) -> Contact:
    if not can(fetched_by, Action.CONTACT_VIEW):
        raise Http404
    return get_object_or_404(
        Contact.objects.select_related("patient", "recorded_by", "referral", "amended_by", "amends"),
        public_id=public_id,
    )


def contact_versions(*, contact: Contact) -> list[Contact]:
    """Every version of one contact, first to latest: the corrections and what they replaced."""
    thread = contact.thread_id
    return list(
        Contact.objects.filter(Q(pk=thread) | Q(original_id=thread)).select_related("recorded_by").order_by("pk")
    )


def contact_related(*, contact: Contact, limit: int = 20) -> list[Contact]:
    """Other contacts from the same caller (phone number) or about the same patient, newest first."""
    same = Q()
    if contact.caller_phone:
        same |= Q(caller_phone=contact.caller_phone)
    if contact.patient_id:
        same |= Q(patient_id=contact.patient_id)
    if not same:
        return []
    thread = contact.thread_id
    return list(
        current_contacts()
        .filter(same)
        .exclude(Q(pk=thread) | Q(original_id=thread))
        .select_related("patient", "recorded_by")[:limit]
    )


@dataclass
class PatientSummary:
    """Everything the front desk knows about one patient, on one page.

    Other capabilities add their open work here as fields, so nobody asks the patient to repeat
    themselves. A section is None when the person asking may not see it (the page leaves it out),
    and an empty list when there is nothing to show.
    """

    patient: Patient
    open_referrals: list[Referral]
    contacts: list[Contact]
    recent_contact_count: int
    rule: FrequentContactRule
    episodes: list | None = None  # open IRR episodes (irr.selectors)
    toc_entries: list | None = None  # Transfer of Care register entries (discharge.selectors)
    due_calls: list[FollowUpCall] | None = None
    transport_bookings: list[TransportBooking] | None = None

    @property
    def is_frequent_contact(self) -> bool:
        return self.recent_contact_count >= self.rule.min_contacts


OPEN_REFERRAL_STATUSES = ("waiting", "claimed")


def open_referrals(*, patient: Patient, fetched_by: User) -> QuerySet[Referral]:
    """The patient's referrals not yet triaged."""
    return referral_list(fetched_by=fetched_by).filter(
        patient=patient, queue_item__status__in=OPEN_REFERRAL_STATUSES
    )


def patient_summary(*, public_id, fetched_by: User, contact_limit: int = 100) -> PatientSummary:
    """One patient's page: each section one query, and only the sections the person's role may see."""
    from discharge import selectors as discharge_selectors
    from irr import selectors as irr_selectors

    patient = patient_get(public_id=public_id)
    rule = frequent_contact_rule()
    contacts = current_contacts().filter(patient=patient).select_related("recorded_by", "referral", "patient")
    since = timezone.now() - timedelta(days=rule.within_days)
    start_of_today = _start_of_day(timezone.localdate())
    return PatientSummary(
        patient=patient,
        open_referrals=list(open_referrals(patient=patient, fetched_by=fetched_by)),
        contacts=list(contacts[:contact_limit]) if can(fetched_by, Action.CONTACT_VIEW) else [],
        recent_contact_count=contacts.filter(started_at__gte=since).count(),
        rule=rule,
        episodes=list(irr_selectors.patient_open_episodes(patient=patient, fetched_by=fetched_by))
        if can(fetched_by, Action.EPISODE_VIEW)
        else None,
        toc_entries=list(discharge_selectors.patient_entries(patient=patient, fetched_by=fetched_by))
        if can(fetched_by, Action.TOC_VIEW)
        else None,
        due_calls=list(
            follow_up_calls(fetched_by=fetched_by, patient=patient)
            .filter(status=FollowUpCall.Status.DUE)
            .order_by("due_at", "pk")
        )
        if can(fetched_by, Action.FOLLOW_UP_CALL_VIEW)
        else None,
        # Upcoming: still to happen, from the start of today (a pick-up this morning is still on the page).
        transport_bookings=list(
            transport_bookings(fetched_by=fetched_by).filter(
                patient=patient,
                pickup_at__gte=start_of_today,
                status__in=[TransportBooking.Status.REQUESTED, TransportBooking.Status.BOOKED],
            )
        )
        if can(fetched_by, Action.TRANSPORT_VIEW)
        else None,
    )


def open_referrals_in_queue(*, patient: Patient, need: NeedCategory, fetched_by: User) -> list[Referral]:
    """The patient's open referrals in the duty queue a new referral for ``need`` would go to."""
    from triage import services as triage_services

    try:
        queue, _ = triage_services.route_for(need)
    except ValidationError:
        return []  # the referral form says why it cannot be routed
    return list(open_referrals(patient=patient, fetched_by=fetched_by).filter(queue_item__queue=queue))


# Referral tracking for referrers: their own referrals, tracking facts only.


def tracked_referral_list(*, fetched_by: User) -> QuerySet[Referral]:
    latest_outcome = TriageDecision.objects.filter(queue_item__referral=OuterRef("pk")).order_by("-decided_at")
    return scope_tracked_referrals(
        fetched_by,
        Referral.objects.select_related("patient", "need", "queue_item__queue__team").annotate(
            triage_outcome=Subquery(latest_outcome.values("outcome")[:1]),
            triaged_at=Subquery(latest_outcome.values("decided_at")[:1]),
        ),
    )


def tracked_referral_get(*, public_id, fetched_by: User) -> Referral:
    """One of the referrer's own referrals; 404 for anyone else's, as if it did not exist."""
    return get_object_or_404(tracked_referral_list(fetched_by=fetched_by), public_id=public_id)


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

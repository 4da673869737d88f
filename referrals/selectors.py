"""Reads for patients and referrals, scoped to the person asking."""

from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import User
from ccc.nhs_number import normalise_nhs_number
from ccc.permissions import Action, can, scope_referrals
from referrals.models import FollowUpCall, Patient, Referral, TimelineEvent, TransportBooking
from triage.models import TriageDecision


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


def _end_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time.min))


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
    start_of_today = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    return transport_bookings(fetched_by=fetched_by).filter(pickup_at__gte=start_of_today)


def transport_booking_get(*, public_id, fetched_by: User) -> TransportBooking:
    return get_object_or_404(transport_bookings(fetched_by=fetched_by), public_id=public_id)

"""Reads for patients and referrals, scoped to the person asking."""

from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from ccc.models import User
from ccc.nhs_number import normalise_nhs_number
from ccc.permissions import scope_referrals
from referrals.models import Patient, Referral, TimelineEvent
from triage.models import TriageDecision


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

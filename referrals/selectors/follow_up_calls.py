"""Follow-up calls: the work list of calls due, and one call."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ccc.models import User
from ccc.permissions import Action, can
from referrals.models import FollowUpCall, Patient
from referrals.selectors.days import end_of_today
from referrals.selectors.patient_details import with_patient_safety


def follow_up_work_list(*, fetched_by: User) -> QuerySet[FollowUpCall]:
    """Follow-up calls due today or overdue, the one due soonest first: the call handlers' work list."""
    if not can(fetched_by, Action.FOLLOW_UP_CALL_VIEW):
        return FollowUpCall.objects.none()
    # The number to dial and any safety alert come in the list's one query.
    return with_patient_safety(
        FollowUpCall.objects.filter(status=FollowUpCall.Status.DUE, due_at__lt=end_of_today())
        .select_related("patient")
        .order_by("due_at", "pk"),
        "patient",
    )


def follow_up_calls(*, fetched_by: User, patient: Patient | None = None) -> QuerySet[FollowUpCall]:
    if not can(fetched_by, Action.FOLLOW_UP_CALL_VIEW):
        return FollowUpCall.objects.none()
    queryset = FollowUpCall.objects.select_related("patient", "outcome_by")
    return queryset.filter(patient=patient) if patient else queryset


def follow_up_call_get(*, public_id, fetched_by: User) -> FollowUpCall:
    return get_object_or_404(follow_up_calls(fetched_by=fetched_by), public_id=public_id)

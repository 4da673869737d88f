"""Referrals as staff see them, and as the referrer who made them tracks them."""

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from ccc.models import User
from referrals.models import NeedCategory, Patient, Referral, TimelineEvent
from referrals.permissions import scope_tracked_referrals
from triage.models import TriageDecision
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


OPEN_REFERRAL_STATUSES = ("waiting", "claimed")


def open_referrals(*, patient: Patient, fetched_by: User) -> QuerySet[Referral]:
    """The patient's referrals not yet triaged."""
    return referral_list(fetched_by=fetched_by).filter(
        patient=patient, queue_item__status__in=OPEN_REFERRAL_STATUSES
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


SUMMARY_LIMIT = 10


def patient_referral_history(*, patient: Patient, fetched_by: User, limit: int = SUMMARY_LIMIT) -> list[Referral]:
    """The patient's referrals, newest first, each with the outcome of its latest triage: one query.

    For the triage page's summary, shown to whoever may open the patient's record
    (``referrals.patient_page.patient_summary_parts`` asks first), whichever queue each went to.
    """
    latest = TriageDecision.objects.filter(queue_item__referral=OuterRef("pk")).order_by("-decided_at")
    referrals = list(
        Referral.objects.filter(patient=patient)
        .select_related("need", "queue_item__queue")
        .annotate(triage_outcome=Subquery(latest.values("outcome")[:1]), triaged_at=Subquery(latest.values("decided_at")[:1]))
        .order_by("-received_at", "-pk")[:limit]
    )
    labels = dict(TriageDecision.Outcome.choices)
    for referral in referrals:
        referral.triage_outcome_label = labels.get(referral.triage_outcome, "")
    return referrals


def referred_patient_get(*, public_id, fetched_by: User) -> Patient:
    """The patient of a referral the asker may see (staff) or tracks (a referrer); 404 for anyone else."""
    from ccc.permissions import Action, can

    if can(fetched_by, Action.REFERRAL_VIEW):
        referrals = referral_list(fetched_by=fetched_by)
    else:
        referrals = tracked_referral_list(fetched_by=fetched_by)
    referral = referrals.filter(patient__public_id=public_id).select_related("patient__gp_practice").first()
    if referral is None:
        raise Http404
    return referral.patient

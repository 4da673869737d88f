"""Reads for escalations and notifications, scoped to the person asking."""

from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ccc.models import User
from ccc.permissions import Action, can
from escalations.models import Clock, Escalation, Notification


def unread_count(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_list(*, user: User) -> QuerySet[Notification]:
    """A person's own notifications, newest first, with what each escalation has become."""
    return Notification.objects.filter(recipient=user).select_related(
        "escalation__clock", "escalation__acknowledged_by"
    )


def notification_get(*, public_id, user: User) -> Notification:
    return get_object_or_404(Notification.objects.filter(recipient=user), public_id=public_id)


def live_escalations(*, fetched_by: User) -> QuerySet[Escalation]:
    """Each unanswered item's highest rung so far, the item waiting longest first. One query."""
    if not can(fetched_by, Action.ESCALATION_VIEW_ALL):
        return Escalation.objects.none()
    higher = Escalation.objects.filter(
        clock=OuterRef("clock"), cycle=OuterRef("cycle"), kind=Escalation.Kind.ESCALATION, rung__gt=OuterRef("rung")
    )
    return (
        Escalation.objects.filter(
            kind=Escalation.Kind.ESCALATION, clock__state=Clock.State.OPEN, clock__cycle=models.F("cycle")
        )
        .filter(~Exists(higher))
        .select_related("clock__queue", "acknowledged_by")
        .order_by("clock__due_at", "clock_id")
    )


def escalation_get(*, public_id, fetched_by: User) -> Escalation:
    """For the people it was sent to, and for those who see every escalation; 404 for anyone else."""
    escalation = get_object_or_404(
        Escalation.objects.select_related("clock__queue", "acknowledged_by"), public_id=public_id
    )
    if not (can(fetched_by, Action.ESCALATION_VIEW_ALL) or can(fetched_by, Action.ESCALATION_ACKNOWLEDGE, escalation)):
        raise Http404("No such escalation")
    return escalation


def escalation_recipients(*, escalation: Escalation) -> list[User]:
    return [n.recipient for n in escalation.notifications.select_related("recipient").order_by("recipient__last_name")]


def with_clock_warning(queryset: QuerySet, *, kind: str, subject_model: type[models.Model], subject_field: str):
    """Annotate ``clock_warned`` on each row: its open clock has passed its warning time.

    A subquery in the same SELECT, so a list that shows it costs no extra query.
    """
    warned = Clock.objects.filter(
        subject_type__app_label=subject_model._meta.app_label,
        subject_type__model=subject_model._meta.model_name,
        subject_id=OuterRef(subject_field),
        kind=kind,
        state=Clock.State.OPEN,
        warned_at__isnull=False,
    )
    return queryset.annotate(clock_warned=Exists(warned))

"""Reads for escalations and notifications, scoped to the person asking."""

from django.db import models
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import TruncWeek
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, can
from escalations.models import Clock, Escalation, Notification


def unread_count(*, fetched_by: User) -> int:
    return Notification.objects.filter(recipient=fetched_by, read_at__isnull=True).count()


def notification_list(*, fetched_by: User) -> QuerySet[Notification]:
    """A person's own notifications, newest first, with what each escalation has become."""
    return Notification.objects.filter(recipient=fetched_by).select_related(
        "escalation__clock", "escalation__acknowledged_by"
    )


def notification_get(*, public_id, fetched_by: User) -> Notification:
    return get_object_or_404(Notification.objects.filter(recipient=fetched_by), public_id=public_id)


def _live() -> QuerySet[Escalation]:
    """Each open clock's highest rung so far in its current cycle."""
    higher = Escalation.objects.filter(
        clock=OuterRef("clock"), cycle=OuterRef("cycle"), kind=Escalation.Kind.ESCALATION, rung__gt=OuterRef("rung")
    )
    return Escalation.objects.filter(
        kind=Escalation.Kind.ESCALATION, clock__state=Clock.State.OPEN, clock__cycle=models.F("cycle")
    ).filter(~Exists(higher))


def live_escalations(*, fetched_by: User) -> QuerySet[Escalation]:
    """Each unanswered item's highest rung so far, the item waiting longest first. One query."""
    if not can(fetched_by, Action.ESCALATION_VIEW_ALL):
        return Escalation.objects.none()
    return (
        _live()
        .select_related("clock__queue", "acknowledged_by")
        .order_by("clock__due_at", "clock_id")
    )


def failing_clocks(*, fetched_by: User) -> QuerySet[Clock]:
    """Open clocks the poller could not fire, oldest failure first: each waits for its retry."""
    if not can(fetched_by, Action.ESCALATION_VIEW_ALL):
        return Clock.objects.none()
    return Clock.objects.filter(state=Clock.State.OPEN, failures__gt=0).select_related("queue").order_by("failed_at")


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


# Figures for the dashboard: (period, scope) -> rows, each one aggregate query. A clock belongs
# to a duty queue (or none); a narrowed scope counts its queues' clocks only.

NO_QUEUE = "No duty queue"


def _in_scope(queryset: QuerySet, scope) -> QuerySet:
    return scope.filter(queryset, "clock__queue_id")


def escalations_live_now(period, scope) -> list[dict]:
    """Unanswered items escalated up a ladder now, by duty queue and the highest rung reached."""
    rows = (
        _in_scope(_live(), scope)
        .values("clock__queue__name", "rung", "rung_name")
        .annotate(live=Count("pk"))
        .order_by("clock__queue__name", "rung")
    )
    return [
        {
            "queue": row["clock__queue__name"] or NO_QUEUE,
            "rung": f"{row['rung']}. {row['rung_name']}",
            "live": row["live"],
        }
        for row in rows
    ]


def escalations_per_week(period, scope) -> list[dict]:
    """Escalations fired in the period, per week (Monday, UK local time), duty queue and rung."""
    fired = Escalation.objects.filter(
        kind=Escalation.Kind.ESCALATION, fired_at__gte=period.start, fired_at__lt=period.end
    ).order_by()
    rows = (
        _in_scope(fired, scope)
        .annotate(week=TruncWeek("fired_at", tzinfo=timezone.get_current_timezone()))
        .values("week", "clock__queue__name", "rung", "rung_name")
        .annotate(escalations=Count("pk"))
        .order_by("week", "clock__queue__name", "rung")
    )
    return [
        {
            "week": timezone.localtime(row["week"]).date(),
            "queue": row["clock__queue__name"] or NO_QUEUE,
            "rung": f"{row['rung']}. {row['rung_name']}",
            "escalations": row["escalations"],
        }
        for row in rows
    ]

"""Reads for duty queues and their items, scoped to the person asking."""

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ccc.models import User
from ccc.permissions import Action, can, scope_queues
from triage.models import DutyQueue, QueueItem

OPEN = [QueueItem.Status.WAITING, QueueItem.Status.CLAIMED]


def queue_list(*, fetched_by: User) -> QuerySet[DutyQueue]:
    """Queues with their open work counted in the same query."""
    return scope_queues(fetched_by, DutyQueue.objects.all()).annotate(
        waiting_count=Count("items", filter=Q(items__status=QueueItem.Status.WAITING)),
        claimed_count=Count("items", filter=Q(items__status=QueueItem.Status.CLAIMED)),
        next_due_at=Min("items__due_at", filter=Q(items__status=QueueItem.Status.WAITING)),
    ).order_by("name")  # Meta.ordering is dropped from GROUP BY queries: order explicitly


def queue_get(*, code: str, fetched_by: User) -> DutyQueue:
    return get_object_or_404(scope_queues(fetched_by, DutyQueue.objects.all()), code=code)


def queue_items(*, queue: DutyQueue) -> QuerySet[QueueItem]:
    """The queue's open items, the one due soonest first."""
    return (
        QueueItem.objects.filter(queue=queue, status__in=OPEN)
        .select_related("referral__patient", "referral__need", "referral__allocated_team", "claimed_by")
        .order_by("due_at", "pk")
    )


def queue_item_get(*, public_id, fetched_by: User) -> QueueItem:
    queryset = QueueItem.objects.select_related("queue", "referral__patient", "referral__need", "claimed_by")
    item = get_object_or_404(queryset, public_id=public_id)
    # Outsiders get the same answer as for an item that does not exist.
    if not can(fetched_by, Action.QUEUE_VIEW, item):
        raise Http404("No such queue item")
    return item


def duty_clinicians_now(*, queue: DutyQueue, at) -> list[User]:
    """Who is on duty for ``queue`` at ``at``. Minimal until the rota lands: all its clinicians."""
    return list(queue.clinicians.filter(is_active=True))


def duty_lead_now(*, queue: DutyQueue, at) -> User | None:
    """The queue's duty lead at ``at``. Minimal until the rota lands: nobody."""
    return None

"""Reads for duty queues and their items, scoped to the person asking."""

from django.db.models import Count, F, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, can, scope_queues
from ccc.reporting import MinutesBetween, Percentile, Period, Scope
from triage.models import DutyQueue, QueueItem, TriageDecision

OPEN = [QueueItem.Status.WAITING, QueueItem.Status.CLAIMED]


def queue_list(*, fetched_by: User) -> QuerySet[DutyQueue]:
    """Queues with their open work counted in the same query."""
    return (
        scope_queues(fetched_by, DutyQueue.objects.all())
        .annotate(
            waiting_count=Count("items", filter=Q(items__status=QueueItem.Status.WAITING)),
            claimed_count=Count("items", filter=Q(items__status=QueueItem.Status.CLAIMED)),
            next_due_at=Min("items__due_at", filter=Q(items__status=QueueItem.Status.WAITING)),
        )
        .order_by("name")
    )  # Meta.ordering is dropped from GROUP BY queries: order explicitly


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
# Figures for the dashboard (reporting/figures.py lists them): plain functions (period, scope) -> rows.


PRIORITY_ORDER = [value for value, _ in TriageDecision.Priority.choices]


def queue_items_routed(period: Period, scope: Scope) -> QuerySet[QueueItem]:
    """Queue items routed in the period, in the scope's queues. Intake routes a referral the moment it
    is received, so these are the period's referrals, read through the (routed_at, queue...) index."""
    routed = QueueItem.objects.filter(routed_at__gte=period.start, routed_at__lt=period.end)
    return scope.filter(routed, "queue_id").order_by()


def referrals_by_queue(period: Period, scope: Scope) -> list[dict]:
    """Referrals by the duty queue they were routed to, most first (queues with none are left out)."""
    return [
        {"queue": name, "referrals": n}
        for name, n in queue_items_routed(period, scope)
        .values("queue__name")
        .annotate(n=Count("*"))
        .order_by("-n", "queue__name")
        .values_list("queue__name", "n")
    ]


def triage_waiting_now(period: Period, scope: Scope) -> list[dict]:
    """Open work in each duty queue of the scope at this moment (the period does not apply: it is now).

    Two queries whatever the data: the queues, then their open items counted through the
    (queue, status, due_at) index.
    """
    now = timezone.now()
    queues = list(scope.filter(DutyQueue.objects.all(), "pk").order_by("name").values("pk", "name", "is_active"))
    counts = {
        row["queue_id"]: row
        for row in QueueItem.objects.filter(queue_id__in=[queue["pk"] for queue in queues], status__in=OPEN)
        .values("queue_id")
        .annotate(
            waiting=Count("pk", filter=Q(status=QueueItem.Status.WAITING)),
            in_triage=Count("pk", filter=Q(status=QueueItem.Status.CLAIMED)),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            oldest=Min("routed_at", filter=Q(status=QueueItem.Status.WAITING)),
        )
        .order_by()
    }
    rows = []
    for queue in queues:
        found = counts.get(queue["pk"], {})
        if not (queue["is_active"] or found):
            continue  # a queue switched off with nothing in it is not part of the picture
        oldest = found.get("oldest")
        rows.append(
            {
                "queue": queue["name"],
                "waiting": found.get("waiting", 0),
                "in_triage": found.get("in_triage", 0),
                "overdue": found.get("overdue", 0),
                "longest_wait_minutes": round((now - oldest).total_seconds() / 60) if oldest else None,
            }
        )
    return rows


def time_to_triage(period: Period, scope: Scope) -> list[dict]:
    """Minutes from routing to the triage decision, for referrals received (routed) in the period, by queue and priority.

    Median and 90th percentile computed by the database (PostgreSQL percentile_cont; the same
    aggregate registered on SQLite). Within target: decided by the item's due time, which is
    the routing time plus the queue's target as it was when the referral arrived.
    """
    minutes = MinutesBetween("queue_item__routed_at", "decided_at")
    decisions = scope.filter(
        TriageDecision.objects.filter(queue_item__routed_at__gte=period.start, queue_item__routed_at__lt=period.end),
        "queue_item__queue_id",
    )
    rows = (
        decisions.values("queue_item__queue__name", "queue_item__queue__triage_target_minutes", "priority")
        .annotate(
            triaged=Count("*"),
            median=Percentile(minutes, 0.5),
            p90=Percentile(minutes, 0.9),
            within=Count("queue_item_id", filter=Q(decided_at__lte=F("queue_item__due_at"))),
        )
        .order_by()
    )
    labels = dict(TriageDecision.Priority.choices)
    rows = sorted(rows, key=lambda row: (row["queue_item__queue__name"], PRIORITY_ORDER.index(row["priority"])))
    return [
        {
            "queue": row["queue_item__queue__name"],
            "priority": labels[row["priority"]],
            "target_minutes": row["queue_item__queue__triage_target_minutes"],
            "triaged": row["triaged"],
            "median_minutes": round(row["median"], 1),
            "p90_minutes": round(row["p90"], 1),
            "within_target": row["within"],
            "within_target_percent": round(100 * row["within"] / row["triaged"], 1),
        }
        for row in rows
    ]

"""Reads for duty queues and their items, scoped to the person asking."""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.db.models import (
    Count,
    F,
    Min,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import Team, User
from ccc.permissions import Action, can
from ccc.reporting import MinutesBetween, Percentile, Period, Scope
from referrals.models import Referral
from triage.models import (
    QUEUE_ORDER,
    DutyQueue,
    Priority,
    QueueItem,
    RedFlagQuestion,
    ResponseTarget,
    RotaEntry,
    SensitiveNoteView,
    Shift,
    TriageDecision,
    shift_start_days,
)
from triage.permissions import may_read_sensitive_note, scope_queues

OPEN = [QueueItem.Status.WAITING, QueueItem.Status.CLAIMED]


def queue_list(*, fetched_by: User) -> QuerySet[DutyQueue]:
    """Queues with their open work counted, and the longest wait, in the same query (one GROUP BY)."""
    return (
        scope_queues(fetched_by, DutyQueue.objects.all())
        .annotate(
            waiting_count=Count("items", filter=Q(items__status=QueueItem.Status.WAITING)),
            claimed_count=Count("items", filter=Q(items__status=QueueItem.Status.CLAIMED)),
            next_due_at=Min("items__due_at", filter=Q(items__status=QueueItem.Status.WAITING)),
            oldest_waiting_since=Min("items__routed_at", filter=Q(items__status=QueueItem.Status.WAITING)),
        )
        .order_by("name")
    )  # Meta.ordering is dropped from GROUP BY queries: order explicitly


def queue_get(*, code: str, fetched_by: User) -> DutyQueue:
    return get_object_or_404(scope_queues(fetched_by, DutyQueue.objects.all()), code=code)


def queue_items(
    *,
    queue: DutyQueue,
    status: str = "",
    urgency: str = "",
    referrer_type: str = "",
    postcode_district: str = "",
    allocated_team_id: int | None = None,
    claimed_by: User | None = None,
) -> QuerySet[QueueItem]:
    """The queue's open items: most urgent first, then due soonest, then oldest.

    The order is stored on each item (urgency rank, due time) and read off the partial index
    ``queueitem_open_order_idx``, so a page of it reads only its rows, however long the queue.
    Locality is the community nursing locality team the referral is allocated to, or the
    patient's postcode district.
    """
    items = QueueItem.objects.filter(queue=queue, status__in=OPEN)
    if status:
        items = items.filter(status=status)
    if urgency:
        items = items.filter(urgency=urgency)
    if referrer_type:
        items = items.filter(referral__referrer_type=referrer_type)
    if postcode_district:
        items = items.filter(referral__patient__postcode__istartswith=f"{postcode_district.strip()} ")
    if allocated_team_id is not None:
        items = items.filter(referral__allocated_team_id=allocated_team_id)
    if claimed_by is not None:
        items = items.filter(claimed_by=claimed_by, status=QueueItem.Status.CLAIMED)
    return items.select_related(
        "referral__patient", "referral__need", "referral__allocated_team", "claimed_by"
    ).order_by(*QUEUE_ORDER)


def red_flag_questions(*, fetched_by: User, need_code: str = "") -> QuerySet[RedFlagQuestion]:
    """The red-flag screens asked at intake (all needs, or one), for whoever may make a referral."""
    if not can(fetched_by, Action.REFERRAL_CREATE):
        return RedFlagQuestion.objects.none()
    questions = RedFlagQuestion.objects.filter(is_active=True, need__is_active=True).select_related("need")
    if need_code:
        questions = questions.filter(need__code=need_code)
    return questions.order_by("need__name", "position", "pk")


def queue_item_get(*, public_id, fetched_by: User) -> QueueItem:
    queryset = QueueItem.objects.select_related("queue", "referral__patient", "referral__need", "claimed_by")
    item = get_object_or_404(queryset, public_id=public_id)
    # Outsiders get the same answer as for an item that does not exist.
    if not can(fetched_by, Action.QUEUE_VIEW, item):
        raise Http404("No such queue item")
    return item


def rota_now(*, queue: DutyQueue, at: datetime) -> list[RotaEntry]:
    """The rota entries of the shifts running at ``at`` (the lead first).

    Kept on the queue object for the minute, so one page asking "who is on duty" and "is this
    person the lead" reads the rota once.
    """
    cache = queue.__dict__.setdefault("_rota_now", {})
    key = at.replace(second=0, microsecond=0)
    if key not in cache:
        today, yesterday = shift_start_days(at)
        entries = (
            RotaEntry.objects.filter(queue=queue, date__in=[today, yesterday])
            .select_related("shift", "clinician")
            .order_by("-is_lead", "clinician__last_name", "pk")
        )
        cache[key] = entries
    return [e for e in cache[key] if e.shift.runs_on(e.date) and _within(e.shift, e.date, at)]


def _within(shift: Shift, day, at: datetime) -> bool:
    start, end = shift.window(day)
    # Compare in UTC: aware datetimes in one zone compare by wall clock, wrong on the night the clocks go back.
    return start.astimezone(UTC) <= at.astimezone(UTC) < end.astimezone(UTC)


def duty_clinicians_now(*, queue: DutyQueue, at: datetime) -> list[User]:
    """Who is on duty for ``queue`` at ``at``, by the rota; the duty lead first."""
    return [entry.clinician for entry in rota_now(queue=queue, at=at) if entry.clinician.is_active]


def duty_lead_now(*, queue: DutyQueue, at: datetime) -> User | None:
    """The duty lead of the shift running at ``at``, or None if the rota names none."""
    return next((entry.clinician for entry in rota_now(queue=queue, at=at) if entry.is_lead), None)


def sensitive_notes_read(
    *, decisions: Iterable[TriageDecision], fetched_by: User, channel: str = "web"
) -> list[TriageDecision]:
    """The decisions, each with its note as ``fetched_by`` may see it in ``visible_note`` (None: withheld).

    The one read that writes, on purpose: every sensitive note shown is logged (who, when, web or
    API), a whole page of them in one insert. Pages and API views call this; serializers only show.
    """
    decisions = list(decisions)
    now = timezone.now()
    shown = []
    for decision in decisions:
        readable = may_read_sensitive_note(fetched_by, decision)
        decision.visible_note = decision.clinical_note if readable else None
        if readable and decision.note_is_sensitive:
            shown.append(SensitiveNoteView(decision=decision, viewed_by=fetched_by, viewed_at=now, channel=channel))
    SensitiveNoteView.objects.bulk_create(shown)
    return decisions


def decisions_for_reader(*, item: QueueItem, fetched_by: User, channel: str = "web") -> list[TriageDecision]:
    """A queue item's decisions with their notes read (``sensitive_notes_read``), kept on the item,
    so a serializer reading ``item.decisions.all()`` afterwards gets these same objects."""
    prefetch_related_objects([item], "decisions")
    return sensitive_notes_read(decisions=item.decisions.all(), fetched_by=fetched_by, channel=channel)


def response_target(*, queue: DutyQueue, priority: str) -> ResponseTarget | None:
    return ResponseTarget.objects.filter(queue=queue, priority=priority).first()


def rota_for(*, queue: DutyQueue, dates) -> QuerySet[RotaEntry]:
    return RotaEntry.objects.filter(queue=queue, date__in=list(dates)).select_related("shift", "clinician")


def queue_filters(params, fetched_by: User) -> dict:
    """The queue's filters from a query string, for the page and the API alike; unknown values ignored."""
    filters = {}
    if params.get("status") in OPEN:
        filters["status"] = params["status"]
    # "priority" is the name the filter had before urgency was stored on the item.
    urgency = params.get("urgency") or params.get("priority")
    if urgency in Priority.values:
        filters["urgency"] = urgency
    if params.get("referrer_type") in Referral.ReferrerType.values:
        filters["referrer_type"] = params["referrer_type"]
    district = (params.get("postcode_district") or "").strip().upper()
    if district:
        filters["postcode_district"] = district[:4]
    team = (params.get("allocated_team") or "").strip()
    if team.isdigit():
        filters["allocated_team_id"] = int(team)
    if params.get("mine") in ("1", "true", "on"):
        filters["claimed_by"] = fetched_by
    return filters


def queue_locality_teams(*, queue: DutyQueue) -> QuerySet[Team]:
    """The locality teams the queue's open items are allocated to, for the locality filter: one query."""
    return (
        Team.objects.filter(
            allocated_referrals__queue_item__queue=queue, allocated_referrals__queue_item__status__in=OPEN
        )
        .distinct()
        .order_by("name")
    )


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
    the routing time plus the queue's target as it was when the referral arrived. The decision's
    time and priority are stored on the item (``QueueItem.triaged``), so this reads the period's
    range of one index and never a decision.
    """
    minutes = MinutesBetween("routed_at", "triaged_at")
    items = scope.filter(
        QueueItem.objects.filter(routed_at__gte=period.start, routed_at__lt=period.end, triaged_at__isnull=False),
        "queue_id",
    )
    rows = (
        items.values("queue__name", "queue__triage_target_minutes", "triaged_priority")
        .annotate(
            triaged=Count("*"),
            median=Percentile(minutes, 0.5),
            p90=Percentile(minutes, 0.9),
            within=Count("triaged_at", filter=Q(triaged_at__lte=F("due_at"))),
        )
        .order_by()
    )
    labels = dict(TriageDecision.Priority.choices)
    rows = sorted(rows, key=lambda row: (row["queue__name"], PRIORITY_ORDER.index(row["triaged_priority"])))
    return [
        {
            "queue": row["queue__name"],
            "priority": labels[row["triaged_priority"]],
            "target_minutes": row["queue__triage_target_minutes"],
            "triaged": row["triaged"],
            "median_minutes": round(row["median"], 1),
            "p90_minutes": round(row["p90"], 1),
            "within_target": row["within"],
            "within_target_percent": round(100 * row["within"] / row["triaged"], 1),
        }
        for row in rows
    ]

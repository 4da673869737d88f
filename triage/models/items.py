"""A referral's time in a duty queue (its queue item) and the triage decisions made on it."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.durations import duration_words
from ccc.text import note_field
from ccc.workflow import Transitions
from triage.models.queues import DutyQueue


class Priority(models.TextChoices):
    """One scale of urgency from intake to triage: the call handler's screen sets it, the clinician
    may change it, the triage decision records it. Emergency is a risk to life (the caller is
    advised to dial 999); very urgent is the 2-hour urgent community response (mental health
    crisis: 4 hours); urgent is the same day. Each queue's targets give the minutes."""

    EMERGENCY = "emergency", "Emergency"
    VERY_URGENT = "very_urgent", "Very urgent"
    URGENT = "urgent", "Urgent"
    ROUTINE = "routine", "Routine"


# Most urgent first: the queue's first sort key, stored on each item so an index can give the order.
PRIORITY_RANK = {value: rank for rank, value in enumerate(Priority.values)}
# What each level means to a call handler, shown beside the screen and the urgency choice.
PRIORITY_MEANING = {
    Priority.EMERGENCY: "risk to life: advise the caller to dial 999",
    Priority.VERY_URGENT: "2-hour urgent community response (mental health crisis: 4 hours)",
    Priority.URGENT: "same day",
    Priority.ROUTINE: "by the queue's routine target",
}


# The queue's order: most urgent first, then due soonest, then oldest (the open-order index).
QUEUE_ORDER = ("urgency_rank", "due_at", "pk")


class QueueItem(models.Model):
    """A referral waiting in, claimed from, or triaged from a duty queue."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        CLAIMED = "claimed", "Claimed"
        TRIAGED = "triaged", "Triaged"
        # The referrer cancelled it before triage (a FHIR cancellation): out of the queue for good.
        WITHDRAWN = "withdrawn", "Withdrawn by the referrer"
        # A clinician sent it back: not for this service, or more is needed before it can be triaged.
        RETURNED = "returned", "Returned to the referrer"

    class ReturnReason(models.TextChoices):
        NOT_FOR_THIS_SERVICE = "not_for_this_service", "Not for this service"
        MORE_INFORMATION_NEEDED = "more_information_needed", "More information needed"

    # The moves a queue item may make; the service of each move asks this table and nothing else.
    # A lead may reassign a waiting item too (hand it straight to someone), as well as a claimed one.
    TRANSITIONS = Transitions(
        Status,
        claim=({Status.WAITING}, Status.CLAIMED),
        release=({Status.CLAIMED}, Status.WAITING),
        reassign=({Status.WAITING, Status.CLAIMED}, Status.CLAIMED),
        triage=({Status.CLAIMED}, Status.TRIAGED),
        transfer=({Status.CLAIMED}, Status.WAITING),
        withdraw=({Status.WAITING, Status.CLAIMED}, Status.WITHDRAWN),
        return_to_referrer=({Status.CLAIMED}, Status.RETURNED),
        # A clinician changes how urgent an open item is; once triaged, the decision says it.
        prioritise=({Status.WAITING, Status.CLAIMED}, None),
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="queue_item")
    queue = models.ForeignKey(DutyQueue, on_delete=models.PROTECT, related_name="items")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    routed_at = models.DateTimeField()
    due_at = models.DateTimeField()
    # The urgency the queue orders by: set at intake, changed by a clinician or a transfer's decision.
    # The rank is stored beside it (services set both through ``prioritise``) so the order is an index.
    urgency = models.CharField(max_length=20, choices=Priority.choices, default=Priority.ROUTINE)
    urgency_rank = models.PositiveSmallIntegerField(default=PRIORITY_RANK[Priority.ROUTINE])
    # Why a clinician last changed the urgency; the history keeps every earlier reason.
    urgency_reason = models.CharField(max_length=500, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="claimed_items"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set once the queue has been told about the item; the sweep finds the ones still empty.
    notified_at = models.DateTimeField(null=True, blank=True)
    # Why it was last put back or handed over; the history keeps every earlier reason.
    handover_reason = models.CharField(max_length=500, blank=True)
    # Why a clinician returned it, in words the referrer reads on their tracking page.
    return_reason = models.CharField(max_length=30, choices=ReturnReason.choices, blank=True)
    return_note = note_field("What the referrer needs to know or add", blank=True)
    # When and at what priority the decision that ended its triage in this queue was made (empty
    # while it waits, and again after a transfer): stored by ``triage_decision_record`` so the
    # dashboard's time to triage reads one index instead of probing a decision per item.
    triaged_at = models.DateTimeField(null=True, blank=True)
    triaged_priority = models.CharField(max_length=20, choices=Priority.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["queue", "status", "due_at"], name="queueitem_queue_due_idx"),
            # The queue's order (most urgent, due soonest, oldest) read straight off the index, open items only.
            models.Index(
                fields=["queue", "urgency_rank", "due_at", "id"],
                condition=models.Q(status__in=["waiting", "claimed"]),
                name="queueitem_open_order_idx",
            ),
            models.Index(
                fields=["routed_at"], condition=models.Q(notified_at__isnull=True), name="queueitem_unnotified_idx"
            ),
            # The dashboard's period of queue items with their times (by queue, time to triage, scope).
            models.Index(fields=["routed_at", "queue", "due_at", "id", "referral"], name="queueitem_routed_idx"),
            # Time to triage: the period's triaged items with their decision's time and priority, index-only.
            models.Index(
                fields=["routed_at", "queue", "due_at", "triaged_at", "triaged_priority"],
                condition=models.Q(triaged_at__isnull=False),
                name="queueitem_triaged_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} in {self.queue}"

    def prioritise(self, urgency: str) -> None:
        """Set the urgency and its stored rank together (the one place both change)."""
        self.urgency, self.urgency_rank = urgency, PRIORITY_RANK[urgency]

    def triaged(self, *, at, priority: str) -> None:
        """Record the decision that ended its triage here (the one place both stored columns are set)."""
        self.triaged_at, self.triaged_priority = at, priority

    def is_held_by(self, user) -> bool:
        """Claimed by ``user`` now: the one "claimed by me" that pages, templates and services ask."""
        return self.status == self.Status.CLAIMED and user is not None and self.claimed_by_id == user.pk


class RiskLevel(models.TextChoices):
    NONE = "none", "None identified"
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class TriageDecision(models.Model):
    Priority = Priority

    class Outcome(models.TextChoices):
        ACCEPT = "accept", "Accept for rapid response (start an IRR episode)"
        TRANSFER = "transfer", "Transfer to another duty queue"
        REFER_ON = "refer_on", "Refer on to a named service"
        SIGNPOST = "signpost", "Signpost to a service"
        NO_FURTHER_ACTION = "no_further_action", "Close with no further action"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    queue_item = models.ForeignKey(QueueItem, on_delete=models.PROTECT, related_name="decisions")
    priority = models.CharField(max_length=20, choices=Priority.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    clinical_note = note_field()
    # Safeguarding and the like: only clinical roles read it, and each reading is logged.
    note_is_sensitive = models.BooleanField("Sensitive note", default=False)
    # The structured risk assessment.
    risk_to_self = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.NONE)
    risk_to_others = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.NONE)
    risk_from_others = models.CharField(max_length=10, choices=RiskLevel.choices, default=RiskLevel.NONE)
    safeguarding_concern = models.BooleanField(default=False)
    lone_working_risk = models.BooleanField(
        default=False, help_text="Visits need two staff; one may be a support worker."
    )
    # What each outcome needs, and only that outcome.
    transfer_to = models.ForeignKey(
        DutyQueue, on_delete=models.PROTECT, null=True, blank=True, related_name="transfers_in"
    )
    referred_to = models.CharField("Service referred on to", max_length=200, blank=True)
    signposted_to = models.CharField("Service signposted to", max_length=200, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="triage_decisions")
    decided_at = models.DateTimeField()
    # From the queue's response target for this priority; the clock stops at the first response.
    respond_by = models.DateTimeField(null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]
        # From a queue item to its decision's time and priority (the dashboard's time to triage).
        indexes = [models.Index(fields=["queue_item", "decided_at", "priority"], name="decision_item_idx")]

    def __str__(self) -> str:
        return f"{self.get_priority_display()}: {self.get_outcome_display()}"

    @property
    def is_high_risk(self) -> bool:
        levels = {self.risk_to_self, self.risk_to_others, self.risk_from_others}
        return RiskLevel.HIGH in levels or self.safeguarding_concern or self.lone_working_risk

    def clean(self) -> None:
        # Each outcome asks for what it needs and nothing more: forms and the API share this.
        needs = {
            self.Outcome.TRANSFER: "transfer_to",
            self.Outcome.REFER_ON: "referred_to",
            self.Outcome.SIGNPOST: "signposted_to",
        }
        messages = {
            "transfer_to": "Select the duty queue to transfer to",
            "referred_to": "Enter the service you are referring on to",
            "signposted_to": "Enter the service you are signposting to",
        }
        errors = {}
        for outcome, field in needs.items():
            value = getattr(self, f"{field}_id" if field == "transfer_to" else field)
            if self.outcome == outcome and not value:
                errors[field] = messages[field]
            elif self.outcome != outcome and value:
                errors[field] = f"Only for “{self.Outcome(outcome).label}”: leave it empty"
        if self.outcome == self.Outcome.TRANSFER and self.transfer_to_id and self.queue_item_id:
            if self.transfer_to_id == self.queue_item.queue_id:
                errors["transfer_to"] = "Choose a different queue from the one the referral is in"
            elif not self.transfer_to.is_active:
                errors["transfer_to"] = f"{self.transfer_to} is switched off: choose another queue"
        if errors:
            raise ValidationError(errors)


# Module-level names for the API schema's enum names (settings.SPECTACULAR_SETTINGS).
QueueItemStatus = QueueItem.Status
TriageOutcome = TriageDecision.Outcome


class ResponseTarget(models.Model):
    """A queue's targets per priority (data, not code): how soon a referral of that urgency must be
    triaged, and how soon a triaged one must get its first response."""

    queue = models.ForeignKey(DutyQueue, on_delete=models.PROTECT, related_name="response_targets")
    priority = models.CharField(max_length=20, choices=Priority.choices)
    response_minutes = models.PositiveIntegerField(help_text="Minutes from the triage decision to the first response.")
    triage_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Minutes from receipt to the triage decision for a referral of this urgency; "
        "empty: the queue's triage target.",
    )
    source = models.CharField(max_length=200, blank=True, help_text="The standard this follows, or “local choice”.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["queue__name", "response_minutes"]
        constraints = [models.UniqueConstraint(fields=["queue", "priority"], name="response_target_unique")]

    def __str__(self) -> str:
        return f"{self.queue}: {self.get_priority_display()} within {duration_words(self.response_minutes)}"


class SensitiveNoteView(models.Model):
    """Who read a sensitive triage note, and when: written every time one is shown."""

    decision = models.ForeignKey(TriageDecision, on_delete=models.PROTECT, related_name="sensitive_views")
    viewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewed_at = models.DateTimeField()
    channel = models.CharField(max_length=10, default="web")

    class Meta:
        ordering = ["-viewed_at"]

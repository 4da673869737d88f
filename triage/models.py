"""Duty triage queues, the rules that route referrals to them, and the decisions made there."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class DutyQueue(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    team = models.ForeignKey("ccc.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="duty_queues")
    # Services join in phases: a queue that is switched off takes no new referrals.
    is_active = models.BooleanField("Switched on", default=True)
    triage_target_minutes = models.PositiveIntegerField(
        default=120, help_text="How soon a new referral in this queue should be triaged."
    )
    clinicians = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="duty_queues")

    history = HistoricalRecords(m2m_fields=[clinicians])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def triage_target(self) -> timedelta:
        return timedelta(minutes=self.triage_target_minutes)


class RoutingRule(models.Model):
    """Need category to duty queue, with the queue to use while that one is switched off."""

    need = models.OneToOneField("referrals.NeedCategory", on_delete=models.PROTECT, related_name="routing_rule")
    queue = models.ForeignKey(DutyQueue, on_delete=models.PROTECT, related_name="routing_rules")
    fallback_queue = models.ForeignKey(
        DutyQueue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fallback_routing_rules",
        help_text="Used while the queue is switched off.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["need__name"]

    def __str__(self) -> str:
        return f"{self.need} → {self.queue}"


class QueueItem(models.Model):
    """A referral waiting in, claimed from, or triaged from a duty queue."""

    class Status(models.TextChoices):
        WAITING = "waiting", "Waiting"
        CLAIMED = "claimed", "Claimed"
        TRIAGED = "triaged", "Triaged"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="queue_item")
    queue = models.ForeignKey(DutyQueue, on_delete=models.PROTECT, related_name="items")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    routed_at = models.DateTimeField()
    due_at = models.DateTimeField()
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="claimed_items"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Set once the queue has been told about the item; the sweep finds the ones still empty.
    notified_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(fields=["queue", "status", "due_at"], name="queueitem_queue_due_idx"),
            models.Index(
                fields=["routed_at"], condition=models.Q(notified_at__isnull=True), name="queueitem_unnotified_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} in {self.queue}"


class TriageDecision(models.Model):
    class Priority(models.TextChoices):
        EMERGENCY = "emergency", "Emergency"
        URGENT = "urgent", "Urgent"
        ROUTINE = "routine", "Routine"

    class Outcome(models.TextChoices):
        ACCEPT = "accept", "Accept for rapid response"
        REFER_ON = "refer_on", "Refer on"
        SIGNPOST = "signpost", "Signpost"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    queue_item = models.ForeignKey(QueueItem, on_delete=models.PROTECT, related_name="decisions")
    priority = models.CharField(max_length=20, choices=Priority.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    clinical_note = models.TextField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="triage_decisions")
    decided_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{self.get_priority_display()}: {self.get_outcome_display()}"

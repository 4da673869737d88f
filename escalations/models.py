"""Clocks, escalation ladders, the escalations they fire and the notifications those send.

The engine knows clocks, not domains: the app that owns an item works out when it is due and
starts a clock on it; the engine warns, climbs the ladder and records each step.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from ccc.text import note_field
from ccc.workflow import Transitions


class EscalationLadder(models.Model):
    """Who is told, in what order, when an item in a duty queue passes its due time.

    The queue is named by string ("triage.DutyQueue"), a model reference and not an import: the
    engine never reads the queue itself, it hands it to the duty functions triage registers
    (``escalations.subjects``).
    """

    name = models.CharField(max_length=200)
    # No queue: the default ladder, for items in a queue without one of its own and items in no queue.
    queue = models.ForeignKey(
        "triage.DutyQueue", on_delete=models.PROTECT, null=True, blank=True, related_name="escalation_ladders",
        help_text="Leave empty for the default ladder, used where a queue has none of its own.",
    )
    warn_at_percent = models.PositiveSmallIntegerField(
        "Warn at (% of the target)",
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="The item is highlighted in its queue once this share of its target has passed.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            # One ladder per queue, and one default ladder (no queue counts as queue 0).
            models.UniqueConstraint(
                Coalesce("queue", Value(0)),
                name="escalationladder_one_per_queue",
                violation_error_message="That queue (or the default) already has a ladder.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EscalationRung(models.Model):
    class People(models.TextChoices):
        QUEUE_CLINICIANS = "queue_clinicians", "The queue's duty clinicians"
        QUEUE_LEAD = "queue_lead", "The queue's duty lead"
        NAMED = "named", "Named people"

    ladder = models.ForeignKey(EscalationLadder, on_delete=models.PROTECT, related_name="rungs")
    position = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    name = models.CharField(max_length=100, help_text="e.g. Duty clinician, Duty lead, Service manager, On-call manager")
    minutes_after_previous = models.PositiveIntegerField(
        default=30, help_text="Minutes after the due time (first rung) or after the rung before."
    )
    people = models.CharField(max_length=20, choices=People.choices, default=People.QUEUE_CLINICIANS)
    named_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="escalation_rungs")

    history = HistoricalRecords(m2m_fields=[named_users])

    class Meta:
        ordering = ["ladder", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ladder", "position"], name="escalationrung_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.minutes_after_previous)


class Clock(models.Model):
    """One item's wait for an answer: a referral waiting for triage, a call waiting to be made..."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"

    # Warned and the rung reached are progress within an open clock, not states of their own:
    # the poller's partial index reads open clocks only. Every service that moves a clock asks here.
    TRANSITIONS = Transitions(
        State,
        # The item came back: a new cycle up the ladder. (A new clock simply starts open.)
        restart=({State.ANSWERED}, State.OPEN),
        warn=({State.OPEN}, None),
        climb=({State.OPEN}, None),
        acknowledge=({State.OPEN}, None),
        # The item's due time moved (a clinician changed its urgency): only while it still waits.
        reschedule=({State.OPEN}, None),
        answer=({State.OPEN}, State.ANSWERED),
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(max_length=50, help_text="What the item is waiting for, e.g. triage")
    # Given by the owning app at start, so lists show the item without a query per row.
    label = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    # A model reference by string, not an import: the engine hands the queue to the duty
    # functions triage registers (escalations.subjects) and reads nothing of it itself.
    queue = models.ForeignKey("triage.DutyQueue", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    ladder = models.ForeignKey(EscalationLadder, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    state = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    # Restarting an answered clock (the item came back) begins a new cycle up the ladder.
    cycle = models.PositiveIntegerField(default=1)
    started_at = models.DateTimeField()
    warn_at = models.DateTimeField()
    due_at = models.DateTimeField()
    warned_at = models.DateTimeField(null=True, blank=True)
    rung = models.PositiveSmallIntegerField(default=0, help_text="The last rung reached (0: none yet)")
    next_rung_at = models.DateTimeField(null=True, blank=True)
    # The poller's only question: which open clocks have something to do by now?
    next_action_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer_reason = models.CharField(max_length=300, blank=True)
    # A clock whose firing raised: kept apart so it cannot stop the clocks due after it. The
    # poller waits until retry_at (its back-off) before trying it again; a success clears all four.
    failures = models.PositiveIntegerField(default=0, help_text="Failed attempts to fire in a row")
    failed_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "kind"], name="clock_one_per_subject_kind"),
        ]
        indexes = [
            models.Index(
                fields=["next_action_at"], condition=models.Q(state="open"), name="clock_open_next_action_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.kind})"

    @property
    def is_warned(self) -> bool:
        return self.warned_at is not None


class Escalation(models.Model):
    """One step a clock took, fired once: the warning (rung 0) or a rung of the ladder."""

    class Kind(models.TextChoices):
        WARNING = "warning", "Warning"
        ESCALATION = "escalation", "Escalation"
        SKIPPED = "skipped", "Rung skipped (nobody on it)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clock = models.ForeignKey(Clock, on_delete=models.PROTECT, related_name="escalations")
    rung = models.PositiveSmallIntegerField()
    cycle = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    rung_name = models.CharField(max_length=100, blank=True)
    scheduled_at = models.DateTimeField(help_text="When it was due to fire")
    fired_at = models.DateTimeField()
    summary = models.CharField(max_length=500)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledgement_note = note_field(blank=True)
    de_escalated_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["fired_at", "pk"]
        constraints = [
            # Exactly once in effect: a second poller, or a retry after a crash, cannot fire it again.
            models.UniqueConstraint(fields=["clock", "rung", "cycle"], name="escalation_once_per_rung_cycle"),
        ]

    def __str__(self) -> str:
        return self.summary


class Notification(models.Model):
    """A message in one person's list, e-mailed to them too: an escalation sent to them, (to
    administrators) a clock the poller cannot fire, or news on a ``topic`` another app sends
    through ``notification_send`` (a partner's system escalation level rising)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notifications")
    escalation = models.ForeignKey(
        Escalation, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications"
    )
    clock = models.ForeignKey(Clock, on_delete=models.PROTECT, null=True, blank=True, related_name="notifications")
    # What a notification not about an escalation or clock is about; one per person and topic.
    topic = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "escalation"], name="notification_once_per_person"),
            models.CheckConstraint(
                condition=models.Q(escalation__isnull=False) | models.Q(clock__isnull=False) | ~models.Q(topic=""),
                name="notification_about_something",
            ),
            models.UniqueConstraint(
                fields=["recipient", "topic"], condition=~models.Q(topic=""), name="notification_once_per_topic"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(fields=["created_at"], condition=models.Q(emailed_at__isnull=True), name="notification_unsent_idx"),
        ]

    def __str__(self) -> str:
        return self.message

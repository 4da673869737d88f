"""Follow-up calls after discharge: the policy and the calls it schedules."""

import uuid
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.idempotency import fingerprint_field
from ccc.text import note_field
from ccc.workflow import Transitions
from referrals.models.patients import Patient


def validate_day_list(value: str) -> None:
    try:
        days = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise ValidationError("Enter whole days after discharge separated by commas, for example 2, 7") from None
    if not days or any(day < 1 or day > 90 for day in days):
        raise ValidationError("Enter days from 1 to 90 after discharge, for example 2, 7")


class FollowUpPolicy(models.Model):
    """One row: when follow-up calls are made after a discharge with a high risk of readmission."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    default_days = models.CharField(
        "Days after discharge", max_length=50, default="2, 7", validators=[validate_day_list],
        help_text="Comma-separated, for example 2, 7",
    )
    call_time = models.TimeField(default=time(10, 0), help_text="UK local time the call is due on each day")
    retry_after_minutes = models.PositiveIntegerField(default=120, help_text="When to try again after no answer")
    max_attempts = models.PositiveSmallIntegerField(default=3, help_text="Attempts per call, the first included")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "follow-up call policy"

    def __str__(self) -> str:
        return f"Days {self.default_days} at {self.call_time}"

    @property
    def days(self) -> list[int]:
        return sorted({int(part) for part in self.default_days.split(",") if part.strip()})

    @classmethod
    def current(cls) -> "FollowUpPolicy":
        return cls.objects.first() or cls()


class FollowUpCall(models.Model):
    class Status(models.TextChoices):
        DUE = "due", "Due"
        ANSWERED_WELL = "answered_well", "Answered: well"
        ANSWERED_CONCERNS = "answered_concerns", "Answered: concerns"
        NO_ANSWER = "no_answer", "No answer"
        DECLINED = "declined", "Declined"

    # Each outcome is a move named after the status it leads to. A call is completed once.
    TRANSITIONS = Transitions(
        Status,
        answered_well=({Status.DUE}, Status.ANSWERED_WELL),
        answered_concerns=({Status.DUE}, Status.ANSWERED_CONCERNS),
        no_answer=({Status.DUE}, Status.NO_ANSWER),
        declined=({Status.DUE}, Status.DECLINED),
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="follow_up_calls")
    reason = note_field("Reason for the call")
    discharged_on = models.DateField(null=True, blank=True)
    day_after_discharge = models.PositiveSmallIntegerField(null=True, blank=True)
    # The due time the escalation clocks start from.
    due_at = models.DateTimeField("Due")
    attempt = models.PositiveSmallIntegerField(default=1)
    retry_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="retry"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DUE)
    outcome_note = note_field(blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    # Empty when the system scheduled it (a discharge, with no person acting).
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scheduled_at = models.DateTimeField()
    # One call per discharge day (or form submission, or retry): scheduling twice makes no second call.
    schedule_key = models.CharField(max_length=100, unique=True)
    request_fingerprint = fingerprint_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(status="due"), name="followupcall_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Follow-up call to {self.patient} due {self.due_at:%Y-%m-%d %H:%M}"

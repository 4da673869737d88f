"""Call-back requests: nothing passed on by word of mouth.

A call for a clinician or team who is busy, or a call transferred to them, becomes a request
on that team's list with who called, their number, why, how urgent and when it is due. It stays
there, on an escalation clock, until someone records the call back or closes it with a reason.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.idempotency import fingerprint_field
from ccc.text import note_field
from ccc.workflow import Transitions
from referrals.models.contacts import Contact
from referrals.models.patients import Patient


class CallBackRequest(models.Model):
    class Kind(models.TextChoices):
        CALL_BACK = "call_back", "Call back requested"
        TRANSFER = "transfer", "Call transferred"

    class Urgency(models.TextChoices):
        URGENT = "urgent", "Urgent: within 30 minutes"
        SOON = "soon", "Soon: within 2 hours"
        ROUTINE = "routine", "Routine: within 4 hours"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a call back"
        CALLED_BACK = "called_back", "Called back"
        CLOSED = "closed", "Closed without a call back"

    # A local choice: how soon each urgency is due, from the moment it is requested.
    DUE_WITHIN = {
        Urgency.URGENT: timedelta(minutes=30),
        Urgency.SOON: timedelta(hours=2),
        Urgency.ROUTINE: timedelta(hours=4),
    }

    # Each move is named after the status it leads to; a request is answered once.
    TRANSITIONS = Transitions(
        Status,
        called_back=({Status.OPEN}, Status.CALLED_BACK),
        closed=({Status.OPEN}, Status.CLOSED),
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CALL_BACK)
    # The contact it came from, when it came from the front desk's contact form.
    contact = models.ForeignKey(
        Contact, on_delete=models.PROTECT, null=True, blank=True, related_name="call_back_requests"
    )
    caller_name = models.CharField("Caller's name", max_length=200)
    # E.164, as contacts keep it; a call back needs a number.
    caller_phone = models.CharField("Number to call back", max_length=20)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="call_back_requests"
    )
    reason = note_field("Why they called")
    team = models.ForeignKey("ccc.Team", on_delete=models.PROTECT, related_name="call_back_requests")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="call_backs_for",
        verbose_name="For clinician",
    )
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.SOON)
    due_at = models.DateTimeField("Call back by")
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    outcome_note = note_field(blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The escalation engine's latest step on it (warned, escalated), so the list shows it without a join.
    last_escalation = models.CharField(max_length=500, blank=True)
    # One submission makes one request, however often it is sent.
    idempotency_key = models.CharField(max_length=64, unique=True)
    request_fingerprint = fingerprint_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["team", "due_at"], condition=models.Q(status="open"), name="callback_open_team_idx"),
        ]

    def __str__(self) -> str:
        return f"Call back {self.caller_name} for {self.team}"

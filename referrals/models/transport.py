"""Patient transport: a booking requested, booked, completed or cancelled."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.idempotency import fingerprint_field
from ccc.text import note_field
from ccc.workflow import Transitions
from referrals.models.patients import Patient


class TransportBooking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        BOOKED = "booked", "Booked"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    TRANSITIONS = Transitions(
        Status,
        book=({Status.REQUESTED}, Status.BOOKED),
        complete=({Status.BOOKED}, Status.COMPLETED),
        cancel=({Status.REQUESTED, Status.BOOKED}, Status.CANCELLED),
    )

    class Mobility(models.TextChoices):
        WALKING = "walking", "Walking"
        WHEELCHAIR = "wheelchair", "Wheelchair"
        STRETCHER = "stretcher", "Stretcher"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="transport_bookings")
    pickup_from = note_field("Pick up from")
    destination = note_field("Take to")
    # The due time the escalation clocks start from.
    pickup_at = models.DateTimeField("Pick-up time", db_index=True)
    mobility = models.CharField("Mobility", max_length=20, choices=Mobility.choices)
    escort_needed = models.BooleanField("Escort needed", default=False)
    notes = note_field(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    cancel_reason = models.CharField("Reason for cancelling", max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_changed_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=64, unique=True)
    request_fingerprint = fingerprint_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["pickup_at", "pk"]

    def __str__(self) -> str:
        return f"Transport for {self.patient} at {self.pickup_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.status == self.Status.CANCELLED and not self.cancel_reason.strip():
            raise ValidationError({"cancel_reason": "Enter why the transport is cancelled"})

"""The hospital's admissions feed (HL7 v2 ADT over MLLP): each message received, once by its
control id, and the list of current inpatients by ward the feed keeps."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.workflow import Transitions
from discharge.models.places import Ward


class Inpatient(models.Model):
    """A hospital stay the admissions feed told us of, by the hospital's visit number."""

    class Status(models.TextChoices):
        IN_HOSPITAL = "in_hospital", "In hospital"
        DISCHARGED = "discharged", "Discharged"
        CANCELLED = "cancelled", "Admission cancelled"

    # One move per ADT event the feed applies (discharge.services.feed).
    TRANSITIONS = Transitions(
        Status,
        transfer=({Status.IN_HOSPITAL}, None),  # A02
        discharge=({Status.IN_HOSPITAL}, Status.DISCHARGED),  # A03
        update=({Status.IN_HOSPITAL, Status.DISCHARGED}, None),  # A08
        cancel_admission=({Status.IN_HOSPITAL}, Status.CANCELLED),  # A11
        cancel_discharge=({Status.DISCHARGED}, Status.IN_HOSPITAL),  # A13
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    visit_number = models.CharField(max_length=50, unique=True)
    nhs_number = models.CharField(max_length=10)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="inpatients")
    admitted_on = models.DateField()
    discharged_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_HOSPITAL)

    history = HistoricalRecords()

    class Meta:
        ordering = ["ward__name", "family_name", "pk"]
        indexes = [models.Index(fields=["status", "ward"], name="toc_inpatient_status_ward_idx")]

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class FeedMessage(models.Model):
    """One HL7 message, kept as received. Its control id (MSH-10) is unique: a message sent
    again is answered as before and not applied twice."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        HELD = "held", "Held for a person"
        ACCEPTED = "accepted", "Accepted by a person"
        REJECTED = "rejected", "Rejected"
        ERROR = "error", "Not applied (error)"

    TRANSITIONS = Transitions(
        Status,
        accept=({Status.HELD}, Status.ACCEPTED),  # feed_message_resolve
        reject=({Status.HELD}, Status.REJECTED),  # feed_message_resolve
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    control_id = models.CharField(max_length=50, unique=True)
    event = models.CharField(max_length=3)
    raw = models.TextField()
    received_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices)
    ack_code = models.CharField(max_length=2)
    reason = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [models.Index(fields=["status"], name="toc_feed_message_status_idx")]

    # The ADT events the feed applies (discharge.services.feed), as the team says them.
    EVENT_LABELS = {
        "A01": "Admission", "A02": "Transfer", "A03": "Discharge", "A08": "Change of details",
        "A11": "Admission cancelled",
    }

    @property
    def event_label(self) -> str:
        return self.EVENT_LABELS.get(self.event, f"HL7 event {self.event}")

"""Referrals, what they are for (need categories) and their timeline."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.idempotency import fingerprint_field
from ccc.text import note_field
from referrals.models.patients import Patient
from triage.models.items import Priority


class NeedCategory(models.Model):
    """What the person needs or which service the referral is for; routing rules map these to queues."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=100, help_text="Shown as a heading in the referral form, e.g. 'Mental health'.")
    is_active = models.BooleanField(default=True, help_text="Offered to call handlers on new referrals.")
    allocate_to_locality_team = models.BooleanField(
        "Community nursing: allocate to a locality team",
        default=False,
        help_text="Referrals go to the locality community nursing team of the patient's registered GP practice.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "name"]
        verbose_name_plural = "need categories"

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    class ReferrerType(models.TextChoices):
        GP = "gp", "GP"
        PROFESSIONAL = "professional", "Other health or care professional"
        PATIENT = "patient", "Patient (self-referral)"
        CARER = "carer", "Carer or family"
        CARE_HOME = "care_home", "Care home"
        WARD = "ward", "Hospital ward"

    class Channel(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        ELECTRONIC = "electronic", "Electronic (API)"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="referrals")
    referrer_type = models.CharField("Who is referring", max_length=20, choices=ReferrerType.choices)
    referrer_name = models.CharField("Referrer's name", max_length=200)
    referrer_organisation = models.CharField("Referrer's practice or organisation", max_length=200, blank=True)
    referrer_phone = models.CharField("Referrer's phone number", max_length=30, blank=True)
    channel = models.CharField(max_length=20, choices=Channel.choices, default=Channel.PHONE)
    need = models.ForeignKey(NeedCategory, on_delete=models.PROTECT, related_name="referrals", verbose_name="Need or service")
    reason = note_field("Reason for referral")
    needs_description = note_field("What the person needs", blank=True)
    # How urgent the call handler found it (the red-flag screen, or chosen), as received: the queue
    # item carries the urgency as a clinician may change it since.
    urgency = models.CharField(max_length=20, choices=Priority.choices, default=Priority.ROUTINE)
    red_flags = models.JSONField(
        default=list, blank=True, help_text="The red-flag questions answered yes, as asked: question and urgency."
    )
    emergency_advice_given = models.BooleanField(
        "Advised to dial 999", default=False, help_text="Recorded when the screen found a risk to life."
    )
    received_at = models.DateTimeField(db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_received")
    # One submission makes one referral, however often the form or the API call is repeated.
    idempotency_key = models.CharField(max_length=64, unique=True)
    request_fingerprint = fingerprint_field()
    # Community nursing single point of access: the locality team the referral is allocated to.
    allocated_team = models.ForeignKey(
        "ccc.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="allocated_referrals"
    )
    allocation_warning = models.CharField(max_length=300, blank=True)
    # Who may track it: the GP practice or hospital ward that referred, when the referrer is one.
    referring_practice = models.ForeignKey(
        "ccc.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
        limit_choices_to={"kind": "gp_practice"},
        verbose_name="Referring GP practice",
    )
    referring_ward = models.ForeignKey(
        "ccc.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_made",
        limit_choices_to={"organisation__kind": "acute_trust"},
        verbose_name="Referring hospital ward",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["referring_practice", "-received_at"], name="referral_practice_idx"),
            models.Index(fields=["referring_ward", "-received_at"], name="referral_ward_idx"),
            # The dashboard's period of referrals, index-only (the id for a team's semi-join).
            models.Index(fields=["received_at", "referrer_type", "id"], name="referral_received_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.patient}"

    def clean(self) -> None:
        from ccc.models import Organisation

        if self.referring_practice_id and self.referring_practice.kind != Organisation.Kind.GP_PRACTICE:
            raise ValidationError({"referring_practice": "Choose a GP practice"})
        if self.referring_ward_id and self.referring_ward.organisation.kind != Organisation.Kind.ACUTE_TRUST:
            raise ValidationError({"referring_ward": "Choose a ward of the acute trust"})

    @property
    def reference(self) -> str:
        """A short reference a call handler can read out on the phone."""
        return f"R{self.pk:06d}"


class TimelineEvent(models.Model):
    """The story of a referral as people see it: received, routed, claimed, triaged."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        ROUTED = "routed", "Routed"
        NOTIFIED = "notified", "Queue notified"
        CLAIMED = "claimed", "Claimed"
        TRIAGED = "triaged", "Triaged"
        # Written by the escalation engine while the referral waits for triage.
        WARNED = "warned", "Warning: due soon"
        ESCALATED = "escalated", "Escalated"
        ACKNOWLEDGED = "acknowledged", "Escalation acknowledged"
        DE_ESCALATED = "de_escalated", "De-escalated"
        RELEASED = "released", "Released to the queue"
        REASSIGNED = "reassigned", "Reassigned"
        TRANSFERRED = "transferred", "Transferred"
        RESPONDED = "responded", "First response"
        WITHDRAWN = "withdrawn", "Withdrawn by the referrer"
        RETURNED = "returned", "Returned to the referrer"
        URGENCY_CHANGED = "urgency_changed", "Urgency changed"

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="timeline")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=500)

    class Meta:
        ordering = ["occurred_at", "pk"]
        indexes = [models.Index(fields=["referral", "occurred_at"], name="timeline_referral_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"

"""Patients and the referrals the Care Co-ordination Centre records about them."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ccc.nhs_number import format_nhs_number, validate_nhs_number
from referrals.rules import check_date_of_birth


class Patient(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Blank when the caller does not know it; unique when known.
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, validators=[validate_nhs_number])
    given_name = models.CharField("First name", max_length=100)
    family_name = models.CharField("Last name", max_length=100)
    date_of_birth = models.DateField()
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    gp_practice = models.CharField("Registered GP practice", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~models.Q(nhs_number=""),
                name="patient_nhs_number_unique",
                violation_error_message="A patient with this NHS number is already recorded: find them instead",
            ),
        ]
        indexes = [
            models.Index(Lower("family_name"), "date_of_birth", name="patient_name_dob_idx"),
            models.Index(fields=["postcode"], name="patient_postcode_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def clean(self) -> None:
        if self.date_of_birth:
            try:
                check_date_of_birth(self.date_of_birth, timezone.localdate())
            except ValidationError as error:
                raise ValidationError({"date_of_birth": error}) from None

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)


class NeedCategory(models.Model):
    """What the person needs or which service the referral is for; routing rules map these to queues."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    group = models.CharField(max_length=100, help_text="Shown as a heading in the referral form, e.g. 'Mental health'.")
    is_active = models.BooleanField(default=True, help_text="Offered to call handlers on new referrals.")

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
    reason = models.TextField("Reason for referral")
    needs_description = models.TextField("What the person needs", blank=True)
    received_at = models.DateTimeField(db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_received")
    # One submission makes one referral, however often the form or the API call is repeated.
    idempotency_key = models.CharField(max_length=64, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.reference} {self.patient}"

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
        RELEASED = "released", "Released to the queue"
        REASSIGNED = "reassigned", "Reassigned"
        TRANSFERRED = "transferred", "Transferred"
        RESPONDED = "responded", "First response"

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

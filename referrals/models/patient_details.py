"""What those visiting or calling a patient must know: how to reach them and the people around them,
and the safety alerts (risk to staff, access, animals...) that change how the work is done."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.phone import format_phone
from ccc.text import note_field
from referrals.models.patients import Patient


class ActiveQuerySet(models.QuerySet):
    def active(self) -> "ActiveQuerySet":
        """Still in force: ended rows stay (no hard deletes) but are no longer shown where work happens."""
        return self.filter(ended_at__isnull=True)


class PatientPhone(models.Model):
    class Kind(models.TextChoices):
        MOBILE = "mobile", "Mobile"
        HOME = "home", "Home"
        WORK = "work", "Work"
        OTHER = "other", "Other"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="phones")
    number = models.CharField(max_length=20, help_text="Stored in E.164 (+441134960000)")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MOBILE)
    # The number to dial first: at most one in force per patient (the constraint below).
    call_first = models.BooleanField("Call this number first", default=False)
    note = models.CharField(max_length=200, blank=True, help_text="For example: best after 10am")
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-call_first", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(call_first=True, ended_at__isnull=True),
                name="patient_one_phone_to_call_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display} ({self.get_kind_display()})"

    @property
    def display(self) -> str:
        return format_phone(self.number)


class PatientSupportPerson(models.Model):
    """Next of kin, or a carer, or both: someone to call about the patient."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="support_people")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=100, blank=True, help_text="For example: daughter, neighbour")
    phone = models.CharField(max_length=20, blank=True, help_text="Stored in E.164")
    address = note_field(blank=True)
    is_next_of_kin = models.BooleanField("Next of kin", default=False)
    is_carer = models.BooleanField("Carer", default=False)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = ActiveQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-is_next_of_kin", "pk"]
        verbose_name = "next of kin or carer"
        verbose_name_plural = "next of kin and carers"

    def __str__(self) -> str:
        return self.name

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def roles_display(self) -> str:
        return " and ".join(label for flag, label in ((self.is_next_of_kin, "Next of kin"), (self.is_carer, "Carer")) if flag)


class SafetyAlert(models.Model):
    """Something anyone going to or calling the patient must know first. Ended, never deleted."""

    class Category(models.TextChoices):
        # The pairs rule (two staff for a visit) reads this one.
        RISK_TO_STAFF = "risk_to_staff", "Risk to staff"
        ACCESS_KEY_SAFE = "access_key_safe", "Access and key safe"
        ANIMALS = "animals", "Animals"
        INFECTION = "infection", "Infection"
        SAFEGUARDING = "safeguarding", "Safeguarding"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="safety_alerts")
    category = models.CharField(max_length=20, choices=Category.choices)
    detail = note_field(help_text="What staff must know and do: who, what, when")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="safety_alerts_raised")
    raised_at = models.DateTimeField()
    review_on = models.DateField("Review by")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="safety_alerts_ended"
    )
    end_reason = models.CharField(max_length=300, blank=True)

    objects = ActiveQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "raised_at"]
        indexes = [
            models.Index(fields=["patient"], condition=models.Q(ended_at__isnull=True), name="safety_alert_active_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.detail[:60]}"


class PatientMerge(models.Model):
    """One merge of a duplicate record into the kept one, with every row it moved so it can be undone."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kept = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="merges_kept")
    duplicate = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="merges_in")
    reason = models.CharField(max_length=300)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField()
    # [{"model": "app_label.model", "field": "patient", "pks": [1, 2]}, ...]: exactly what moved.
    moved = models.JSONField(default=list, blank=True)
    unmerged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unmerged_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"{self.duplicate} merged into {self.kept}"

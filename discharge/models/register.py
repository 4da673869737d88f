"""The register: one inpatient from registration to discharge, the pathway changes, the trusted
assessment, and the beds or slots held for them."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.idempotency import fingerprint_field
from ccc.text import note_field
from ccc.workflow import Transitions
from discharge.models.places import Pathway, PathwayService, Ward


class RegisterEntry(models.Model):
    """One inpatient on the Transfer of Care register, from registration to discharge."""

    class Status(models.TextChoices):
        OPEN = "open", "In hospital"
        DISCHARGED = "discharged", "Discharged"

    class Source(models.TextChoices):
        WARD = "ward", "Referred by the ward"
        IN_REACH = "in_reach", "Identified by ward in-reach"

    class ReadmissionRisk(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    # Every service that works an entry names its move; all but the discharge keep it open.
    TRANSITIONS = Transitions(
        Status,
        update=({Status.OPEN}, None),  # entry_update
        set_pathway=({Status.OPEN}, None),  # pathway_set
        reserve=({Status.OPEN}, None),  # booking_reserve
        record_assessment=({Status.OPEN}, None),  # trusted_assessment_record
        record_delay=({Status.OPEN}, None),  # delay_record
        review_criteria=({Status.OPEN}, None),  # residence_review_record
        set_discharge_dates=({Status.OPEN}, None),  # discharge_dates_set
        discharge=({Status.OPEN}, Status.DISCHARGED),  # entry_discharge
    )

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("referrals.Patient", on_delete=models.PROTECT, related_name="toc_entries")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="entries")
    admitted_on = models.DateField("Admission date")
    consultant = models.CharField(max_length=200)
    source = models.CharField("Referred to the team by", max_length=20, choices=Source.choices)
    referred_on = models.DateField("Date referred to the team")
    fit_on = models.DateField("Date declared medically fit for discharge", null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="toc_entries_owned"
    )
    next_action = models.CharField(max_length=300, blank=True)
    next_action_due = models.DateField("Next action due", null=True, blank=True)
    pathway = models.IntegerField(choices=Pathway.choices, null=True, blank=True)
    # The national measure since April 2023: the day the patient no longer met the criteria to
    # reside. Follows the latest daily review, or is set directly with a reason.
    discharge_ready_on = models.DateField("Discharge ready date", null=True, blank=True)
    discharge_ready_reason = models.CharField(
        "Why the discharge ready date was set by hand", max_length=300, blank=True
    )
    expected_discharge_on = models.DateField("Expected discharge date", null=True, blank=True)
    # The escalation clock: started when the patient is MFFD, stopped when a plan (pathway) is set.
    plan_due_at = models.DateTimeField("Plan due by", null=True, blank=True)
    plan_set_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField()
    # Discharge.
    discharged_on = models.DateField(null=True, blank=True)
    destination = models.CharField(max_length=200, blank=True)
    pathway_used = models.IntegerField(choices=Pathway.choices, null=True, blank=True)
    readmission_risk = models.CharField(max_length=10, choices=ReadmissionRisk.choices, blank=True)
    # Hand-overs owed at discharge, kept so they can be checked and retried.
    irr_handover_needed = models.BooleanField(default=False)
    follow_up_calls_needed = models.BooleanField(default=False)
    # The IRR episode the pathway 1 hand-over opened: one per discharge, however often it is retried.
    irr_episode = models.OneToOneField(
        "irr.Episode", on_delete=models.PROTECT, null=True, blank=True, related_name="source_discharge"
    )
    # One submission makes one entry, however often it is repeated.
    idempotency_key = models.CharField(max_length=64, unique=True)
    request_fingerprint = fingerprint_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["admitted_on", "pk"]
        verbose_name_plural = "register entries"
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(status="open"),
                name="toc_one_open_entry_per_patient",
                violation_error_message="This patient is already on the register",
            ),
        ]
        indexes = [models.Index(fields=["status", "ward"], name="toc_entry_status_ward_idx")]

    def __str__(self) -> str:
        return f"{self.patient} on {self.ward}"

    def clean(self) -> None:
        errors = {}
        if self.fit_on and self.admitted_on and self.fit_on < self.admitted_on:
            errors["fit_on"] = "The date declared medically fit cannot be before admission"
        if self.referred_on and self.admitted_on and self.referred_on < self.admitted_on:
            errors["referred_on"] = "The date referred cannot be before admission"
        if self.discharged_on and self.admitted_on and self.discharged_on < self.admitted_on:
            errors["discharged_on"] = "The discharge date cannot be before admission"
        if errors:
            raise ValidationError(errors)


class PathwayChange(models.Model):
    """Each time a pathway is set or changed, with why."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="pathway_changes")
    from_pathway = models.IntegerField(choices=Pathway.choices, null=True, blank=True)
    to_pathway = models.IntegerField(choices=Pathway.choices)
    reason = note_field()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["changed_at", "pk"]


class TrustedAssessment(models.Model):
    """One assessment by a trusted assessor of any partner, recorded once and accepted by the
    receiving service rather than repeated by it."""

    entry = models.OneToOneField(RegisterEntry, on_delete=models.PROTECT, related_name="trusted_assessment")
    assessor_name = models.CharField(max_length=200)
    assessor_organisation = models.ForeignKey("ccc.Organisation", on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    summary = note_field("Assessment summary")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_by_service = models.ForeignKey(
        PathwayService, on_delete=models.PROTECT, null=True, blank=True, related_name="accepted_assessments"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Status(models.TextChoices):
        """Not stored: read from ``accepted_at``."""

        RECORDED = "recorded", "Recorded"
        ACCEPTED = "accepted", "Accepted"

    TRANSITIONS = Transitions(Status, accept=({Status.RECORDED}, Status.ACCEPTED))  # trusted_assessment_accept

    @property
    def status(self) -> str:
        return self.Status.ACCEPTED if self.accepted_at else self.Status.RECORDED


class CapacityBooking(models.Model):
    """A bed or slot of a pathway service held for a patient: reserved while they are in
    hospital, occupied once they are discharged into it, released when no longer needed."""

    class Status(models.TextChoices):
        RESERVED = "reserved", "Reserved"
        OCCUPIED = "occupied", "Occupied"
        RELEASED = "released", "Released"

    TRANSITIONS = Transitions(
        Status,
        occupy=({Status.RESERVED}, Status.OCCUPIED),  # booking_occupy, at discharge
        release=({Status.RESERVED, Status.OCCUPIED}, Status.RELEASED),  # booking_release
    )
    HOLDING = (Status.RESERVED, Status.OCCUPIED)

    service = models.ForeignKey(PathwayService, on_delete=models.PROTECT, related_name="bookings")
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="bookings")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RESERVED)
    reserved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reserved_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["reserved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=models.Q(status__in=["reserved", "occupied"]),
                name="toc_one_holding_booking_per_entry",
                violation_error_message="This patient already has a bed or slot",
            ),
        ]
        indexes = [models.Index(fields=["service", "status"], name="toc_booking_service_idx")]



"""Transfer of Care: the register of medically-fit-for-discharge (MFFD) patients, their
discharge pathways, delays, the capacity of the pathway services, and bed occupancy."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.workflow import Transitions


class Pathway(models.IntegerChoices):
    """National discharge pathways (Hospital discharge and community support guidance, 2024, Annex B)."""

    SIMPLE = 0, "Pathway 0: home, no new support"
    HOME_WITH_SUPPORT = 1, "Pathway 1: home with support (IRR, up to six weeks)"
    INTERMEDIATE_CARE_BED = 2, "Pathway 2: intermediate-care bed with rehabilitation"
    DISCHARGE_TO_ASSESS = 3, "Pathway 3: discharge to assess with nursing needs"


# Pathways whose services hold capacity (beds, slots or hours) that can be reserved.
PATHWAYS_WITH_CAPACITY = (Pathway.HOME_WITH_SUPPORT, Pathway.INTERMEDIATE_CARE_BED, Pathway.DISCHARGE_TO_ASSESS)


class Ward(models.Model):
    """An acute-trust ward. A model of its own (not a ccc.Team): a ward is a place with beds
    and daily occupancy figures imported by its code, not a group of staff with logins."""

    code = models.SlugField(max_length=30, unique=True, help_text="As in the trust's bed-occupancy files.")
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey("ccc.Organisation", on_delete=models.PROTECT, related_name="wards")
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TransferOfCareSettings(models.Model):
    """Local targets an administrator edits (one row)."""

    plan_target_hours = models.PositiveIntegerField(
        default=24, help_text="How long after being declared medically fit a patient should have a discharge plan (pathway)."
    )
    delayed_transfer_target_percent = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal("3.5"),
        help_text="Delayed bed days as a percentage of occupied bed days should be no more than this.",
    )
    # Pathway 1 discharges are handed to this team as IRR episodes (early supported discharge).
    irr_team = models.ForeignKey(
        "ccc.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="IRR team for pathway 1",
        help_text="Patients discharged on pathway 1 get an IRR episode with this team. "
        "Until one is set, pathway 1 discharges are refused.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "Transfer of Care settings"

    def __str__(self) -> str:
        return "Transfer of Care settings"

    @classmethod
    def current(cls) -> "TransferOfCareSettings":
        return cls.objects.order_by("pk").first() or cls()


class PathwayService(models.Model):
    """A service with capacity for one pathway: 52 intermediate-care beds, D2A beds, home-care slots."""

    class Unit(models.TextChoices):
        BED = "bed", "Beds"
        SLOT = "slot", "Care slots"

    name = models.CharField(max_length=200, unique=True)
    pathway = models.IntegerField(choices=[(p.value, p.label) for p in PATHWAYS_WITH_CAPACITY])
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.BED)
    capacity = models.PositiveIntegerField(help_text="Beds or slots commissioned.")
    occupied_by_others = models.PositiveIntegerField(
        default=0, help_text="Taken today by people not on this register (e.g. step-up admissions from the community)."
    )
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pathway", "name"]

    def __str__(self) -> str:
        return self.name


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
    reason = models.TextField()
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
    summary = models.TextField("Assessment summary")
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


class DelayReason(models.Model):
    """A reason a discharge is delayed, from a named national code set (kept as data so both
    the 2017 delayed-transfer return and the 2023 discharge data collection can be reported)."""

    class CodeSet(models.TextChoices):
        DTOC_2017 = "dtoc", "Delayed transfers of care return (to 2020)"
        DDC_2023 = "ddc", "Discharge data collection (2023 on)"

    code_set = models.CharField(max_length=10, choices=CodeSet.choices)
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    is_patient_choice = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True, help_text="Offered for new delays.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["code_set", "pk"]
        constraints = [models.UniqueConstraint(fields=["code_set", "code"], name="toc_delay_reason_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code_set == self.CodeSet.DTOC_2017 else self.name


class Attribution(models.TextChoices):
    NHS = "nhs", "NHS"
    SOCIAL_CARE = "social_care", "Social care"
    BOTH = "both", "Both"


class Partner(models.TextChoices):
    ACUTE = "acute", "Acute"
    COMMUNITY = "community", "Community"
    SOCIAL_CARE = "social_care", "Social care"


# Which partners must sign a delay off, by attribution: at least one partner of each group.
SIGN_OFF_NEEDED = {
    Attribution.NHS: [{Partner.ACUTE, Partner.COMMUNITY}],
    Attribution.SOCIAL_CARE: [{Partner.SOCIAL_CARE}],
    Attribution.BOTH: [{Partner.ACUTE, Partner.COMMUNITY}, {Partner.SOCIAL_CARE}],
}


class Delay(models.Model):
    """A period when an MFFD patient stays in hospital for one reason. Each midnight in the
    period (starts_on up to, not including, ends_on) is one delayed bed day."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="delays")
    reason = models.ForeignKey(DelayReason, on_delete=models.PROTECT, related_name="delays")
    attribution = models.CharField(max_length=20, choices=Attribution.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    agreed_at = models.DateTimeField(null=True, blank=True, help_text="When the last partner needed signed it off.")

    history = HistoricalRecords()

    class Status(models.TextChoices):
        """Not stored: read from ``ends_on``. Being agreed (``agreed_at``) is not a state: a
        partner may sign an open or an ended delay off."""

        OPEN = "open", "Open"
        ENDED = "ended", "Ended"

    TRANSITIONS = Transitions(
        Status,
        end=({Status.OPEN}, Status.ENDED),  # delay_end; delay_record and entry_discharge end the open one
        sign_off=({Status.OPEN, Status.ENDED}, None),  # delay_sign_off
    )

    @property
    def status(self) -> str:
        return self.Status.ENDED if self.ends_on else self.Status.OPEN

    class Meta:
        ordering = ["starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"], condition=models.Q(ends_on__isnull=True), name="toc_one_open_delay_per_entry"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="toc_delay_ends_after_start",
                violation_error_message="A delay cannot end before it starts",
            ),
        ]
        indexes = [models.Index(fields=["starts_on", "ends_on"], name="toc_delay_period_idx")]


class DelaySignOff(models.Model):
    """A partner's agreement to a delay's reason and attribution."""

    delay = models.ForeignKey(Delay, on_delete=models.PROTECT, related_name="sign_offs")
    partner = models.CharField(max_length=20, choices=Partner.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["delay", "partner"], name="toc_one_sign_off_per_partner",
                violation_error_message="This partner has already signed this delay off",
            )
        ]


class BedOccupancy(models.Model):
    """Occupied beds on a ward at midnight of a day, from the trust's figures."""

    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="occupancy")
    date = models.DateField()
    occupied_beds = models.PositiveIntegerField(validators=[MinValueValidator(0)])
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "ward"]
        verbose_name_plural = "bed occupancy"
        constraints = [models.UniqueConstraint(fields=["ward", "date"], name="toc_occupancy_ward_day_unique")]

"""Patients and the referrals the Care Co-ordination Centre records about them."""

import uuid
from datetime import time, timedelta

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
    gp_practice = models.ForeignKey(
        "ccc.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registered_patients",
        limit_choices_to={"kind": "gp_practice"},
        verbose_name="Registered GP practice",
    )
    # The practice as first typed, kept where it matched no practice on record (see migration 0002).
    gp_practice_name = models.CharField("GP practice as recorded before", max_length=200, blank=True)
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
        if self.gp_practice_id and self.gp_practice.kind != self.gp_practice.Kind.GP_PRACTICE:
            raise ValidationError({"gp_practice": "Choose a GP practice"})
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
    reason = models.TextField("Reason for referral")
    needs_description = models.TextField("What the person needs", blank=True)
    received_at = models.DateTimeField(db_index=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_received")
    # One submission makes one referral, however often the form or the API call is repeated.
    idempotency_key = models.CharField(max_length=64, unique=True)
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


# Community nursing single point of access ----------------------------------------------------


class PracticeLocality(models.Model):
    """A GP practice's locality community nursing team."""

    practice = models.OneToOneField(
        "ccc.Organisation",
        on_delete=models.PROTECT,
        related_name="locality",
        limit_choices_to={"kind": "gp_practice"},
        verbose_name="GP practice",
    )
    team = models.ForeignKey(
        "ccc.Team", on_delete=models.PROTECT, related_name="practice_localities", verbose_name="Locality team"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["practice__name"]
        verbose_name = "practice locality team"

    def __str__(self) -> str:
        return f"{self.practice} → {self.team}"

    def clean(self) -> None:
        if self.practice_id and self.practice.kind != self.practice.Kind.GP_PRACTICE:
            raise ValidationError({"practice": "Choose a GP practice"})


class CommunityNursingSettings(models.Model):
    """One row: the team that takes community nursing referrals when the practice has no locality."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    default_team = models.ForeignKey("ccc.Team", on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "community nursing default team"

    def __str__(self) -> str:
        return f"Default team: {self.default_team}"


# Follow-up calls after discharge ------------------------------------------------------------


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

    # Status -> the statuses it may move to. A call is completed once.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.DUE: frozenset({Status.ANSWERED_WELL, Status.ANSWERED_CONCERNS, Status.NO_ANSWER, Status.DECLINED}),
    }

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="follow_up_calls")
    reason = models.TextField("Reason for the call")
    discharged_on = models.DateField(null=True, blank=True)
    day_after_discharge = models.PositiveSmallIntegerField(null=True, blank=True)
    # The due time the escalation clocks start from.
    due_at = models.DateTimeField("Due")
    attempt = models.PositiveSmallIntegerField(default=1)
    retry_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="retry"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DUE)
    outcome_note = models.TextField(blank=True)
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

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(status="due"), name="followupcall_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Follow-up call to {self.patient} due {self.due_at:%Y-%m-%d %H:%M}"


# Patient transport ----------------------------------------------------------------------


class TransportBooking(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        BOOKED = "booked", "Booked"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.REQUESTED: frozenset({Status.BOOKED, Status.CANCELLED}),
        Status.BOOKED: frozenset({Status.COMPLETED, Status.CANCELLED}),
    }

    class Mobility(models.TextChoices):
        WALKING = "walking", "Walking"
        WHEELCHAIR = "wheelchair", "Wheelchair"
        STRETCHER = "stretcher", "Stretcher"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="transport_bookings")
    pickup_from = models.TextField("Pick up from")
    destination = models.TextField("Take to")
    # The due time the escalation clocks start from.
    pickup_at = models.DateTimeField("Pick-up time", db_index=True)
    mobility = models.CharField("Mobility", max_length=20, choices=Mobility.choices)
    escort_needed = models.BooleanField("Escort needed", default=False)
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    cancel_reason = models.CharField("Reason for cancelling", max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_changed_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=64, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pickup_at", "pk"]

    def __str__(self) -> str:
        return f"Transport for {self.patient} at {self.pickup_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.status == self.Status.CANCELLED and not self.cancel_reason.strip():
            raise ValidationError({"cancel_reason": "Enter why the transport is cancelled"})


# The front desk: every contact, not only referrals.


class FrequentContactRule(models.Model):
    """When a person counts as a frequent contact. A local choice: an administrator edits it."""

    min_contacts = models.PositiveIntegerField(
        "Contacts", default=5, help_text="This many contacts or more in the period flags the person."
    )
    within_days = models.PositiveIntegerField("Days", default=30, help_text="The period, counted back from today.")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "frequent contact rule"

    def __str__(self) -> str:
        return f"{self.min_contacts} or more contacts in {self.within_days} days"

    def clean(self) -> None:
        if self.min_contacts is not None and self.min_contacts < 2:
            raise ValidationError({"min_contacts": "Use 2 or more: one contact is not frequent"})
        if self.within_days is not None and self.within_days < 1:
            raise ValidationError({"within_days": "Use 1 day or more"})


class Contact(models.Model):
    """One call, email or electronic message to the front desk, whatever came of it.

    Append-only: a correction is a new version that ``amends`` the one before, so the original
    stays as it was. The current version of a contact is the one nothing amends.
    """

    class Outcome(models.TextChoices):
        REFERRAL_CREATED = "referral_created", "Referral created"
        ADVICE_GIVEN = "advice_given", "Advice given"
        SIGNPOSTED = "signposted", "Signposted to a service"
        JUST_TO_TALK = "just_to_talk", "Just to talk"
        TRANSFERRED = "transferred", "Transferred"
        NO_ACTION = "no_action", "No action"

    # Outcomes that record the service the person was pointed to.
    SIGNPOSTING_OUTCOMES = frozenset({Outcome.SIGNPOSTED, Outcome.JUST_TO_TALK})

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    caller_type = models.CharField("Who is calling", max_length=20, choices=Referral.ReferrerType.choices)
    channel = models.CharField("How it came in", max_length=20, choices=Referral.Channel.choices, default=Referral.Channel.PHONE)
    caller_name = models.CharField("Caller's name", max_length=200)
    caller_organisation = models.CharField("Caller's practice or organisation", max_length=200, blank=True)
    # E.164, so the same caller matches however the number was typed.
    caller_phone = models.CharField("Caller's phone number", max_length=20, blank=True, db_index=True)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts", verbose_name="About"
    )
    started_at = models.DateTimeField("Started")
    duration_minutes = models.PositiveIntegerField("Duration in minutes", default=0)
    reason = models.TextField("Reason for contact")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # Free text until the directory exists; the directory link will sit beside it.
    signposted_to = models.CharField("Service signposted to", max_length=200, blank=True)
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts_recorded")
    recorded_at = models.DateTimeField()
    # The version this one corrects (one amendment per version: the chain cannot fork) and the first one.
    amends = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amended_by"
    )
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="later_versions"
    )
    amendment_reason = models.CharField("Why it was corrected", max_length=500, blank=True)
    # One submission makes one contact, however often the form is sent.
    idempotency_key = models.CharField(max_length=64, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "started_at"], name="contact_patient_idx"),
            models.Index(fields=["caller_phone", "started_at"], name="contact_phone_idx"),
            # The dashboard's contacts figures, index-only (the id for the "not amended" anti-join).
            models.Index(fields=["started_at", "caller_type", "outcome", "id"], name="contact_started_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.caller_name}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Contacts are append-only: record an amendment instead of changing one")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Contacts are append-only: they are never deleted")

    def clean(self) -> None:
        # "Just to talk" may be signposted later, once the caller has been listened to.
        if self.outcome == self.Outcome.SIGNPOSTED and not self.signposted_to.strip():
            raise ValidationError({"signposted_to": "Enter the service the person was signposted to"})
        if self.started_at and self.started_at > timezone.now() + timedelta(minutes=5):
            raise ValidationError({"started_at": "The contact cannot start in the future"})

    @property
    def reference(self) -> str:
        return f"C{(self.original_id or self.pk):06d}"

    @property
    def thread_id(self) -> int:
        """The first version's id: every version of one contact shares it."""
        return self.original_id or self.pk

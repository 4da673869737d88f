"""The people the Care Co-ordination Centre records: one row per person, found before anyone is added twice."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ccc.nhs_number import format_nhs_number, validate_nhs_number
from ccc.text import note_field
from referrals.rules import check_date_of_birth


class CommunicationNeed(models.TextChoices):
    """Accessible Information Standard: the format and support the person needs to take part."""

    LARGE_PRINT = "large_print", "Large print"
    EASY_READ = "easy_read", "Easy read"
    BRAILLE = "braille", "Braille"
    AUDIO = "audio", "Audio or spoken information"
    EMAIL = "email", "Contact by email"
    TEXT_MESSAGE = "text_message", "Contact by text message, not by voice call"
    BSL_INTERPRETER = "bsl_interpreter", "British Sign Language interpreter"
    DEAFBLIND = "deafblind", "Deafblind manual or hands-on signing"
    LIP_READING = "lip_reading", "Lip-reading: face the person, speak clearly"
    HEARING_LOOP = "hearing_loop", "Hearing loop"
    ADVOCATE = "advocate", "Needs an advocate or carer to help communicate"


def validate_communication_needs(value) -> None:
    known = set(CommunicationNeed.values)
    if not isinstance(value, list) or any(code not in known for code in value):
        raise ValidationError("Choose communication needs from the list", code="communication_need_unknown")


class Patient(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Blank when the caller does not know it; unique when known.
    nhs_number = models.CharField("NHS number", max_length=10, blank=True, validators=[validate_nhs_number])
    given_name = models.CharField("First name", max_length=100)
    family_name = models.CharField("Last name", max_length=100)
    date_of_birth = models.DateField()
    address = note_field(blank=True)
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
    preferred_language = models.CharField(max_length=60, blank=True, help_text="Blank means English")
    interpreter_needed = models.BooleanField("Needs an interpreter", default=False)
    # A JSON list of CommunicationNeed codes (JSON rather than an array: bulk COPY loads write "[]").
    communication_needs = models.JSONField(default=list, blank=True, validators=[validate_communication_needs])
    communication_notes = note_field("More about communication needs", blank=True)
    is_carer = models.BooleanField("The patient is a carer for someone", default=False)
    # Set when an administrator merges this duplicate record into the one kept (PatientMerge).
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_duplicates"
    )

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
            # Date of birth first: a name and date of birth search (and the duplicate check) reads
            # the few people born that day, whatever the collation does to prefix matches on names.
            models.Index("date_of_birth", Lower("family_name"), name="patient_dob_name_idx"),
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
    def communication_needs_display(self) -> list[str]:
        return [CommunicationNeed(code).label for code in self.communication_needs]

    def active_alerts(self):
        """The safety alerts in force, e.g. for the pairs rule (``SafetyAlert.Category.RISK_TO_STAFF``)."""
        return self.safety_alerts.active()

    def has_active_alert(self, category: str) -> bool:
        return self.safety_alerts.active().filter(category=category).exists()

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number)

"""Delays: why an MFFD patient is still in hospital, from the national reason lists, and the
partners' sign-offs."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.text import note_field
from ccc.workflow import Transitions
from discharge.models.register import RegisterEntry


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
    note = note_field(blank=True)
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



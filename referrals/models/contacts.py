"""The front desk: every contact, not only referrals, and when a person counts as a frequent contact."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ccc.text import note_field
from referrals.models.patients import Patient
from referrals.models.referrals import Referral


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
        # "Created" only once the referral exists and is linked; until then it is pending.
        REFERRAL_CREATED = "referral_created", "Referral created"
        REFERRAL_PENDING = "referral_pending", "Referral pending"
        ADVICE_GIVEN = "advice_given", "Advice given"
        SIGNPOSTED = "signposted", "Signposted to a service"
        JUST_TO_TALK = "just_to_talk", "Just to talk"
        TRANSFERRED = "transferred", "Transferred"
        CALL_BACK = "call_back", "Call back requested"
        NO_ACTION = "no_action", "No action"

    # Outcomes that record the service the person was pointed to.
    SIGNPOSTING_OUTCOMES = frozenset({Outcome.SIGNPOSTED, Outcome.JUST_TO_TALK})
    # Outcomes that leave a call-back request on a team's list: nothing passed on by word of mouth.
    CALL_BACK_OUTCOMES = frozenset({Outcome.TRANSFERRED, Outcome.CALL_BACK})

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
    reason = note_field("Reason for contact")
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
    # Nothing amends it yet: derived from ``amends``, the one column ever changed after insert, and
    # only by ``contact_amend`` (a plain UPDATE beside the new version; the history keeps the versions,
    # not this flag, which they imply). Counting current contacts reads one partial index, no anti-join.
    is_current = models.BooleanField(default=True, editable=False)
    # One submission makes one contact, however often the form is sent.
    idempotency_key = models.CharField(max_length=64, unique=True)

    history = HistoricalRecords(excluded_fields=["is_current"])

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["patient", "started_at"], name="contact_patient_idx"),
            models.Index(fields=["caller_phone", "started_at"], name="contact_phone_idx"),
            # The dashboard's contacts figures, index-only (the id for the "not amended" anti-join).
            models.Index(fields=["started_at", "caller_type", "outcome", "id"], name="contact_started_idx"),
            # The dashboard's contacts figures: current versions only, index-only.
            models.Index(
                fields=["started_at", "caller_type", "outcome"],
                condition=models.Q(is_current=True),
                name="contact_current_started_idx",
            ),
        ]
        constraints = [
            # A contact says "referral created" exactly when it is linked to the referral it raised.
            models.CheckConstraint(
                condition=models.Q(outcome="referral_created", referral__isnull=False)
                | (~models.Q(outcome="referral_created") & models.Q(referral__isnull=True)),
                name="contact_referral_created_has_referral",
                violation_error_message="Only a contact linked to the referral it raised is “Referral created”",
            ),
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
        if self.outcome == self.Outcome.REFERRAL_CREATED and not self.referral_id:
            raise ValidationError(
                {"outcome": "“Referral created” is set when the referral is raised: choose “Referral pending” and raise it"}
            )
        if self.referral_id and self.outcome != self.Outcome.REFERRAL_CREATED:
            raise ValidationError({"outcome": "This contact raised a referral: its outcome stays “Referral created”"})
        if self.started_at and self.started_at > timezone.now() + timedelta(minutes=5):
            raise ValidationError({"started_at": "The contact cannot start in the future"})

    @property
    def reference(self) -> str:
        return f"C{(self.original_id or self.pk):06d}"

    @property
    def thread_id(self) -> int:
        """The first version's id: every version of one contact shares it."""
        return self.original_id or self.pk

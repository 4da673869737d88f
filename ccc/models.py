"""Staff, organisations and teams: who works in the system and in what role."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ACUTE_TRUST = "acute_trust", "Acute and community trust"
        MENTAL_HEALTH_TRUST = "mental_health_trust", "Mental health and learning disability trust"
        COUNCIL = "council", "Council (social care)"
        COMMISSIONER = "commissioner", "Commissioner"
        VOLUNTARY_SECTOR = "voluntary_sector", "Voluntary sector"
        GP_PRACTICE = "gp_practice", "GP practice"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    ods_code = models.CharField("ODS code", max_length=10, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=200)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="team_unique_per_organisation")]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        CALL_HANDLER = "call_handler", "Call handler"
        DUTY_CLINICIAN = "duty_clinician", "Duty clinician"
        TEAM_LEAD = "team_lead", "Team lead"
        TOC = "toc", "Transfer of Care team member"
        MANAGER = "manager", "Manager"
        DIRECTORY_EDITOR = "directory_editor", "Directory editor"
        REFERRER = "referrer", "Referrer (GP practice or ward)"
        ADMINISTRATOR = "administrator", "Administrator"

    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="staff")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members")
    active_until = models.DateField(
        null=True,
        blank=True,
        help_text="The last day this person may use the system (a contract's end). Blank: no end date.",
    )
    session_stamp = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Raised to end every session this person has (a second factor reset): see get_session_auth_hash.",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def _get_session_auth_hash(self, secret=None) -> str:
        # Django ends a session whose stored hash no longer matches this one (as after a password
        # change); mixing in the stamp lets a service end all of a person's sessions with one write,
        # without finding them in the session table. A stamp of 0 keeps Django's own hash, so
        # adding the field logged nobody out. Overrides the one method both the current hash and
        # the SECRET_KEY_FALLBACKS hashes come from (Django 5.2).
        if not self.session_stamp:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "ccc.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_stamp}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def may_sign_in(self) -> bool:
        """Whether this account may be used now: not disabled and not past its end date.

        The one rule for both the login backend (no new session) and the permission module
        (an existing session or API token stops working on its next request).
        """
        if not self.is_active:
            return False
        return self.active_until is None or timezone.localdate() <= self.active_until

    @cached_property
    def duty_queue_ids(self) -> frozenset[int]:
        """The duty queues this clinician works, read once per request."""
        # Team leads are clinicians too: they work the queues they lead.
        if self.role not in (self.Role.DUTY_CLINICIAN, self.Role.TEAM_LEAD):
            return frozenset()
        return frozenset(self.duty_queues.values_list("pk", flat=True))


class AppendOnly(Exception):
    """An attempt to change or remove a row of an append-only log."""


class AccessLogQuerySet(models.QuerySet):
    """No bulk change or removal: the log only grows (the database refuses it too, by trigger)."""

    def update(self, **kwargs):
        raise AppendOnly("The access log is append-only: its rows are never changed")

    def delete(self):
        raise AppendOnly("The access log is append-only: its rows are never deleted")


class AccessLog(models.Model):
    """One look at a person's record, or one export: who, when, what, and through which door.

    Written by ``ccc.access_log.access_log_record`` from the pages and API views that show a
    record; never changed or deleted. The core knows no domain model, so the record is named by
    its kind and public id, and the patient it belongs to by the patient's database id.
    """

    class Kind(models.TextChoices):
        PATIENT = "patient", "Patient"
        REFERRAL = "referral", "Referral"
        EPISODE = "episode", "IRR episode"
        REGISTER_ENTRY = "register_entry", "Transfer of Care register entry"
        EXPORT = "export", "Export"

    class Channel(models.TextChoices):
        PAGE = "page", "Page"
        API = "api", "API"

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey("User", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    record_id = models.CharField("Record", max_length=64, help_text="The record's public id, or the export's name")
    patient_id = models.BigIntegerField(null=True, blank=True, help_text="The patient the record belongs to")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    path = models.CharField(max_length=500)
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="Rows exported")
    detail = models.CharField(max_length=200, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["patient_id", "-at"], name="accesslog_patient_newest"),
            models.Index(fields=["actor", "-at"], name="accesslog_actor_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} viewed {self.get_kind_display()} {self.record_id} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("The access log is append-only: its rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("The access log is append-only: its rows are never deleted")

"""Integrated Rapid Response: short-term, multi-disciplinary episodes of care at home, and their visits."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.idempotency import fingerprint_field
from ccc.text import note_field
from ccc.workflow import Transitions

# Early supported discharge and rapid response last up to six weeks; longer needs a reason.
MAX_PLANNED_LENGTH = timedelta(weeks=6)


class Discipline(models.TextChoices):
    NURSE = "nurse", "Nurse"
    THERAPIST = "therapist", "Therapist"
    SOCIAL_WORKER = "social_worker", "Social worker"
    MENTAL_HEALTH = "mental_health", "Mental health practitioner"
    SUPPORT_WORKER = "support_worker", "Support worker"


class Episode(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        STAYED_AT_HOME = "stayed_at_home", "Stayed at home"
        ADMITTED = "admitted", "Admitted to hospital"
        LONG_TERM_SERVICE = "long_term_service", "Moved to a long-term service"
        DIED = "died", "Died"
        OTHER = "other", "Other"

    # Planning a visit keeps the episode open; closing it ends the visits.
    TRANSITIONS = Transitions(Status, close=({Status.OPEN}, Status.CLOSED), visit=({Status.OPEN}, None))

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey("referrals.Patient", on_delete=models.PROTECT, related_name="irr_episodes")
    team = models.ForeignKey("ccc.Team", on_delete=models.PROTECT, related_name="irr_episodes")
    lead_professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="irr_episodes_led"
    )
    # Where it came from: a triage decision, or a discharge on pathway 1.
    source_decision = models.OneToOneField(
        "triage.TriageDecision", on_delete=models.PROTECT, null=True, blank=True, related_name="irr_episode"
    )
    source_discharge_note = models.CharField(max_length=500, blank=True)
    goals = note_field()
    # From the risk assessment: every visit needs two staff.
    lone_working_risk = models.BooleanField(default=False)
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    planned_end = models.DateField()
    longer_plan_reason = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["team", "status"], name="episode_team_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", outcome="") | models.Q(status="closed") & ~models.Q(outcome=""),
                name="episode_outcome_when_closed",
            )
        ]

    def __str__(self) -> str:
        return f"IRR episode for {self.patient} ({self.get_status_display()})"

    def clean(self) -> None:
        errors = {}
        if not self.source_decision_id and not self.source_discharge_note.strip():
            errors["source_discharge_note"] = "Say which discharge this episode follows, or open it from a triage decision"
        if self.opened_at and self.planned_end:
            opened = self.opened_at.date()
            if self.planned_end < opened:
                errors["planned_end"] = "The planned end cannot be before the episode opens"
            elif self.planned_end > opened + MAX_PLANNED_LENGTH and not self.longer_plan_reason.strip():
                errors["longer_plan_reason"] = "Enter why this episode is planned to last longer than six weeks"
        if errors:
            raise ValidationError(errors)


class EpisodeMember(models.Model):
    """Someone working on the episode: from any discipline and organisation, a system user or not."""

    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(max_length=200)
    discipline = models.CharField(max_length=20, choices=Discipline.choices)
    organisation = models.ForeignKey("ccc.Organisation", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["episode", "name", "discipline"], name="episode_member_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_discipline_display()}, {self.organisation})"


class Visit(models.Model):
    class Kind(models.TextChoices):
        PLANNED = "planned", "Planned"
        UNPLANNED = "unplanned", "Unplanned"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        DONE = "done", "Done"

    TRANSITIONS = Transitions(Status, record=({Status.SCHEDULED}, Status.DONE))

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    episode = models.ForeignKey(Episode, on_delete=models.PROTECT, related_name="visits")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    scheduled_for = models.DateTimeField()
    staff = models.ManyToManyField(EpisodeMember, related_name="visits")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    outcome = note_field(blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # A double submit of the visit form finds the visit the first one made.
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    request_fingerprint = fingerprint_field()

    history = HistoricalRecords(m2m_fields=[staff])

    class Meta:
        ordering = ["scheduled_for"]
        indexes = [models.Index(fields=["scheduled_for"], name="visit_scheduled_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} visit {self.scheduled_for:%Y-%m-%d %H:%M}"


class TeamCapacity(models.Model):
    """What an IRR team can carry: set by an administrator, shown to triage."""

    team = models.OneToOneField("ccc.Team", on_delete=models.PROTECT, related_name="irr_capacity")
    open_episodes = models.PositiveIntegerField(help_text="Open episodes the team can carry at once.")
    visits_per_day = models.PositiveIntegerField(help_text="Visits the team can make in a day.")

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "team capacities"

    def __str__(self) -> str:
        return f"{self.team}: {self.open_episodes} episodes, {self.visits_per_day} visits a day"


# Module-level names for the API schema's enum names (settings.SPECTACULAR_SETTINGS).
EpisodeOutcome = Episode.Outcome
EpisodeStatus = Episode.Status
VisitKind = Visit.Kind
VisitStatus = Visit.Status

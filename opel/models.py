"""System escalation: each partner's Operational Pressures Escalation Level (OPEL 1-4), the
triggers that raise it (data an administrator keeps), the action cards agreed for each level, and
every change of level (append-only).

A partner's level is the higher of what its live triggers say and the level set by hand (for
what the system has no figures for); ``Partner.level`` keeps the result for quick reading.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.text import note_field
from opel.measures import MEASURE_CHOICES

LEVELS = [(1, "OPEL 1: steady"), (2, "OPEL 2: moderate pressure"), (3, "OPEL 3: severe pressure"),
          (4, "OPEL 4: extreme pressure")]
LEVEL_RANGE = [MinValueValidator(1), MaxValueValidator(4)]


class Partner(models.Model):
    class Kind(models.TextChoices):
        ACUTE = "acute", "Acute trust"
        COMMUNITY = "community", "Community health services"
        MENTAL_HEALTH = "mental_health", "Mental health trust"
        SOCIAL_CARE = "social_care", "Adult social care"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Told when the level rises: the partner's named leads (on-call director, bed manager...).
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="opel_partners")
    level = models.PositiveSmallIntegerField(choices=LEVELS, default=1, validators=LEVEL_RANGE)
    level_since = models.DateTimeField(null=True, blank=True)
    level_reason = models.CharField(max_length=1000, blank=True)
    # Set by hand, with a reason: the floor under the triggers' level.
    manual_level = models.PositiveSmallIntegerField(choices=LEVELS, default=1, validators=LEVEL_RANGE)
    manual_reason = models.CharField(max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Trigger(models.Model):
    """"When <measure> is at least (or at most) <threshold>, the partner is at <level> or above"."""

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", "at least"
        AT_MOST = "at_most", "at most"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="triggers")
    measure = models.CharField(max_length=40, choices=MEASURE_CHOICES)
    comparison = models.CharField(max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST)
    threshold = models.IntegerField()
    level = models.PositiveSmallIntegerField(choices=LEVELS[1:], validators=[MinValueValidator(2), MaxValueValidator(4)])

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "level", "measure"]

    def __str__(self) -> str:
        return f"{self.get_measure_display()} {self.get_comparison_display()} {self.threshold}: OPEL {self.level}"

    def is_met(self, value: int) -> bool:
        if self.comparison == self.Comparison.AT_MOST:
            return value <= self.threshold
        return value >= self.threshold


class ActionCard(models.Model):
    """What a partner has agreed to do at a level."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="action_cards")
    level = models.PositiveSmallIntegerField(choices=LEVELS, validators=LEVEL_RANGE)
    actions = note_field(help_text="One action a line.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "level"]
        constraints = [models.UniqueConstraint(fields=["partner", "level"], name="action_card_once_per_level")]

    def __str__(self) -> str:
        return f"{self.partner}: OPEL {self.level}"

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.actions.splitlines() if line.strip()]


class LevelChange(models.Model):
    """One change of a partner's level: why, when, and who set it (nobody: its triggers). Never edited."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="changes")
    previous_level = models.PositiveSmallIntegerField(choices=LEVELS)
    level = models.PositiveSmallIntegerField(choices=LEVELS)
    changed_at = models.DateTimeField()
    reason = models.CharField(max_length=1000)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["changed_at"], name="opel_change_at_idx")]

    def __str__(self) -> str:
        return f"{self.partner}: OPEL {self.previous_level} to {self.level}"

    @property
    def is_rise(self) -> bool:
        return self.level > self.previous_level

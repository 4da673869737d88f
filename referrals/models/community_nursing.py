"""Community nursing single point of access: which locality team takes a practice's referrals."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords


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

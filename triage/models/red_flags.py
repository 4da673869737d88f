"""The red-flag screen a call handler asks at intake, kept as data by administrators, per need."""

from django.db import models
from simple_history.models import HistoricalRecords

from triage.models.items import PRIORITY_MEANING, Priority


class RedFlagQuestion(models.Model):
    """One short question of a need's screen: a "yes" makes the referral at least this urgent."""

    need = models.ForeignKey("referrals.NeedCategory", on_delete=models.PROTECT, related_name="red_flag_questions")
    question = models.CharField(max_length=300, help_text="Asked as written, answered yes or no.")
    urgency = models.CharField(
        "Urgency on a yes", max_length=20, choices=Priority.choices,
        help_text="Emergency: risk to life (the caller is advised to dial 999); very urgent: the 2-hour urgent "
        "community response; urgent: same day.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order within the need's screen.")
    # Switched off rather than deleted: referrals keep the question as it was asked.
    is_active = models.BooleanField("Asked", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["need__name", "position", "pk"]
        indexes = [models.Index(fields=["need", "position"], name="red_flag_need_idx")]

    def __str__(self) -> str:
        return f"{self.need}: {self.question}"

    @property
    def meaning(self) -> str:
        return PRIORITY_MEANING[self.urgency]

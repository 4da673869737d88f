"""Criteria to reside: the daily review of each inpatient on the register, from which the
discharge ready date follows (national discharge data collection, April 2023 on)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from ccc.text import note_field
from discharge.models.register import RegisterEntry


class ResidenceReview(models.Model):
    """One day's review of whether the patient still meets the criteria to reside in an acute
    bed; if not, since which day (that day is the discharge ready date)."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.PROTECT, related_name="residence_reviews")
    reviewed_on = models.DateField("Day reviewed")
    meets_criteria = models.BooleanField("Meets the criteria to reside")
    not_met_since = models.DateField("No longer meets the criteria since", null=True, blank=True)
    note = note_field(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "reviewed_on"], name="toc_one_residence_review_per_day",
                violation_error_message="This patient has already been reviewed on that day",
            ),
            models.CheckConstraint(
                condition=models.Q(meets_criteria=True, not_met_since__isnull=True)
                | models.Q(meets_criteria=False, not_met_since__isnull=False, not_met_since__lte=models.F("reviewed_on")),
                name="toc_review_not_met_since_consistent",
                violation_error_message="Give the day the criteria stopped being met, on or before the review",
            ),
        ]

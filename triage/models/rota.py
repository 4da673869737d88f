"""Duty shifts in UK local time and the rota of who is on each, for each queue."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from triage.models.queues import DutyQueue

LONDON = ZoneInfo("Europe/London")


class Shift(models.Model):
    """A duty shift in UK local time. A shift ending at or before it starts runs past midnight."""

    class Days(models.TextChoices):
        WEEKDAYS = "weekdays", "Monday to Friday"
        WEEKEND = "weekend", "Saturday and Sunday"
        EVERY_DAY = "every_day", "Every day"

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=100)
    starts = models.TimeField(help_text="UK local time")
    ends = models.TimeField(help_text="UK local time")
    days = models.CharField(max_length=10, choices=Days.choices, help_text="The days the shift starts on.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts"]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts:%H:%M}–{self.ends:%H:%M})"

    def runs_on(self, day: date) -> bool:
        weekend = day.weekday() >= 5
        return self.days == self.Days.EVERY_DAY or (self.days == self.Days.WEEKEND) == weekend

    def window(self, day: date) -> tuple[datetime, datetime]:
        """The shift starting on ``day``, as aware datetimes: clock changes come out right."""
        start = datetime.combine(day, self.starts, tzinfo=LONDON)
        end_day = day + timedelta(days=1) if self.ends <= self.starts else day
        return start, datetime.combine(end_day, self.ends, tzinfo=LONDON)


# The standard shifts (code, name, starts, ends, days), added by a data migration; editable data after.
STANDARD_SHIFTS = [
    ("day", "Day", time(8), time(18), Shift.Days.WEEKDAYS),
    ("evening", "Evening", time(18), time(22), Shift.Days.WEEKDAYS),
    ("night", "Night", time(22), time(8), Shift.Days.EVERY_DAY),
    ("weekend", "Weekend day", time(8), time(22), Shift.Days.WEEKEND),
]


class RotaEntry(models.Model):
    """One clinician on duty for one queue, for one shift on one day; one of them may lead it."""

    queue = models.ForeignKey(DutyQueue, on_delete=models.PROTECT, related_name="rota")
    shift = models.ForeignKey(Shift, on_delete=models.PROTECT, related_name="rota")
    date = models.DateField(help_text="The day the shift starts")
    clinician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rota")
    is_lead = models.BooleanField("Duty lead", default=False)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "shift__starts", "-is_lead"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "shift", "date", "clinician"], name="rota_once_per_shift"),
            models.UniqueConstraint(
                fields=["queue", "shift", "date"], condition=models.Q(is_lead=True), name="rota_one_lead_per_shift"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.clinician} on {self.shift} {self.date} for {self.queue}"


def shift_start_days(at: datetime) -> tuple[date, date]:
    """The days a shift running at ``at`` could have started on: today, or yesterday for a night."""
    local_day = at.astimezone(LONDON).date()
    return local_day, local_day - timedelta(days=1)

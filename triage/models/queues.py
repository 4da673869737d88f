"""Duty queues and the rules that route referrals to them, in hours and out of hours."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class DutyQueue(models.Model):
    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    team = models.ForeignKey("ccc.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="duty_queues")
    # Services join in phases: a queue that is switched off takes no new referrals.
    is_active = models.BooleanField("Switched on", default=True)
    triage_target_minutes = models.PositiveIntegerField(
        default=120, help_text="How soon a new referral in this queue should be triaged."
    )
    clinicians = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="duty_queues")
    # Out of hours, referrals for a queue without cover go to the out-of-hours queue instead.
    has_out_of_hours_cover = models.BooleanField(
        "Has out-of-hours cover", default=False, help_text="Takes its own referrals in out-of-hours periods too."
    )
    is_out_of_hours_queue = models.BooleanField(
        "Is the out-of-hours queue",
        default=False,
        help_text="Takes referrals out of hours for queues without cover. Only one queue can be this.",
    )

    history = HistoricalRecords(m2m_fields=[clinicians])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_out_of_hours_queue"],
                condition=models.Q(is_out_of_hours_queue=True),
                name="dutyqueue_one_out_of_hours_queue",
                violation_error_message="Another queue is already the out-of-hours queue",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def triage_target(self) -> timedelta:
        return timedelta(minutes=self.triage_target_minutes)


class RoutingRule(models.Model):
    """Need category to duty queue, with the queue to use while that one is switched off."""

    need = models.OneToOneField("referrals.NeedCategory", on_delete=models.PROTECT, related_name="routing_rule")
    queue = models.ForeignKey(DutyQueue, on_delete=models.PROTECT, related_name="routing_rules")
    fallback_queue = models.ForeignKey(
        DutyQueue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fallback_routing_rules",
        help_text="Used while the queue is switched off.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["need__name"]

    def __str__(self) -> str:
        return f"{self.need} → {self.queue}"


class OutOfHoursPeriod(models.Model):
    """A weekly out-of-hours period in UK local time, e.g. Monday 20:00 to 08:00 next morning.

    Wall-clock times, not UTC offsets, so 08:00 stays 08:00 on both sides of a clock change.
    An end at or before the start runs into the next day; 00:00 to 00:00 is the whole day.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    weekday = models.PositiveSmallIntegerField("Starts on", choices=Weekday.choices)
    starts = models.TimeField(help_text="UK local time")
    ends = models.TimeField(help_text="UK local time; at or before the start means the next day")

    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "starts"]

    def __str__(self) -> str:
        next_day = " next day" if self.ends <= self.starts else ""
        return f"{self.get_weekday_display()} {self.starts:%H:%M} to {self.ends:%H:%M}{next_day}"

    def covers(self, local: datetime) -> bool:
        """Whether the local wall-clock moment ``local`` falls in this period."""
        day, moment = local.weekday(), local.time()
        if self.ends > self.starts:
            return day == self.weekday and self.starts <= moment < self.ends
        if day == self.weekday and moment >= self.starts:
            return True
        return day == (self.weekday + 1) % 7 and moment < self.ends


class OutOfHoursDate(models.Model):
    """A whole day out of hours: a bank holiday or another day the daytime services close."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100, help_text="For example, Christmas Day")

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = "out-of-hours date (bank holiday)"
        verbose_name_plural = "out-of-hours dates (bank holidays)"

    def __str__(self) -> str:
        return f"{self.name} ({self.date:%d %b %Y})"

"""The local day the front desk's lists start and end on."""

from datetime import datetime, time, timedelta

from django.utils import timezone


def start_of_day(day) -> datetime:
    """Midnight at the start of ``day``, UK local time."""
    return timezone.make_aware(datetime.combine(day, time.min))


def end_of_today() -> datetime:
    return start_of_day(timezone.localdate() + timedelta(days=1))

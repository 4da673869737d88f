from datetime import date

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def days_since(value: date | None) -> int | str:
    """Whole days from a date to today in London (0 on the day itself)."""
    if value is None:
        return ""
    return (timezone.localdate() - value).days


@register.filter
def attribution_label(value: str | None) -> str:
    from discharge.models import Attribution

    return Attribution(value).label if value else ""


@register.filter
def booking_status_label(value: str | None) -> str:
    """A held bed or slot's state in words ("Reserved"), never its stored code."""
    from discharge.models import CapacityBooking

    return CapacityBooking.Status(value).label if value else ""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


def _span(minutes: int) -> str:
    hours, mins = divmod(abs(minutes), 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    return f"{hours} h" if hours else f"{mins} min"


@register.filter
def due_label(due_at: datetime | None) -> str:
    """'Due in 1 h 10 min' or 'Overdue by 25 min', as a duty clinician reads a queue."""
    if due_at is None:
        return ""
    minutes = int((due_at - timezone.now()).total_seconds() // 60)
    return f"Overdue by {_span(minutes)}" if minutes < 0 else f"Due in {_span(minutes)}"


@register.filter
def is_overdue(due_at: datetime | None) -> bool:
    return due_at is not None and due_at < timezone.now()


STATUS_TAG_COLOURS = {"waiting": "nhsuk-tag--yellow", "claimed": "nhsuk-tag--blue", "triaged": "nhsuk-tag--green",
                      "withdrawn": "nhsuk-tag--grey"}


@register.filter
def status_tag_class(status: str) -> str:
    return STATUS_TAG_COLOURS.get(status, "nhsuk-tag--grey")


# Urgency (triage's priority values) as a tag colour: the most urgent the loudest.
URGENCY_TAG_COLOURS = {
    "emergency": "nhsuk-tag--red", "very_urgent": "nhsuk-tag--orange", "urgent": "nhsuk-tag--yellow",
}


@register.filter
def urgency_tag_class(urgency: str) -> str:
    return URGENCY_TAG_COLOURS.get(urgency, "nhsuk-tag--grey")


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number as people read it: 0113 496 0000."""
    from ccc.phone import format_phone

    return format_phone(value)

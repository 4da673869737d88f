from datetime import datetime

from django import template
from django.utils import timezone

from ccc.durations import days_words, duration_words

register = template.Library()


@register.filter
def duration(span) -> str:
    """A timedelta or whole minutes in words: "1 day 3 hours", "4 minutes" (ccc.durations)."""
    return duration_words(span)


@register.filter
def days(count) -> str:
    """A count of days in words: "1 day", "25 days"."""
    return days_words(count)


@register.filter
def due_label(due_at: datetime | None) -> str:
    """'Due in 1 hour 10 minutes' or 'Overdue by 24 days 23 hours', as a duty clinician reads a queue."""
    if due_at is None:
        return ""
    left = due_at - timezone.now()
    return f"Overdue by {duration_words(left)}" if left.total_seconds() < 0 else f"Due in {duration_words(left)}"


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


@register.simple_tag
def date_boxes(name: str, value, *id_parts) -> str:
    """The day, month and year boxes of ccc.dates for a form written out in a template (one per table
    row); the id is the parts joined by hyphens."""
    from ccc.dates import DateInputWidget

    return DateInputWidget().render(name, value, attrs={"id": "-".join(str(part) for part in id_parts)})

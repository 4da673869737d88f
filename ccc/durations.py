"""Spans of time in words, as people say them: "25 days", "1 day 3 hours", "2 hours 5 minutes",
"4 minutes", "less than a minute". The two largest units only: a queue reader wants the gist."""

from datetime import timedelta


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def duration_words(span: timedelta | int | float | None) -> str:
    """A span (a timedelta, or whole minutes) in words; its sign is ignored ("Overdue by" says it)."""
    if span is None or span == "":
        return ""
    minutes = int(abs(span.total_seconds() if isinstance(span, timedelta) else float(span) * 60) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _count(days, "day") + (f" {_count(hours, 'hour')}" if hours else "")
    if hours:
        return _count(hours, "hour") + (f" {_count(mins, 'minute')}" if mins else "")
    return _count(mins, "minute") if mins else "less than a minute"


def days_words(days: int | None) -> str:
    """A whole number of days: "1 day", "3 days", "0 days"."""
    return "" if days is None or days == "" else _count(int(days), "day")

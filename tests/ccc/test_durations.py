"""Durations in words, as a clinician reads a queue."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.utils import timezone

from ccc.durations import days_words, duration_words


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (timedelta(days=25), "25 days"),
        (timedelta(days=1, hours=3, minutes=20), "1 day 3 hours"),
        (timedelta(days=24, hours=23, minutes=37), "24 days 23 hours"),
        (timedelta(hours=2, minutes=5), "2 hours 5 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=4, seconds=50), "4 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=40), "less than a minute"),
        (-timedelta(hours=599, minutes=37), "24 days 23 hours"),
        (90, "1 hour 30 minutes"),
        (None, ""),
    ],
)
def test_a_span_reads_in_its_two_largest_units(span, words):
    assert duration_words(span) == words


def test_a_count_of_days_is_singular_for_one():
    assert [days_words(n) for n in (0, 1, 2, None)] == ["0 days", "1 day", "2 days", ""]


def render(text, **context):
    return Template("{% load ccc_tags %}" + text).render(Context(context))


def test_due_and_overdue_read_in_words():
    now = timezone.now()
    assert render("{{ due|due_label }}", due=now - timedelta(hours=599, minutes=37, seconds=5)) == "Overdue by 24 days 23 hours"
    assert render("{{ due|due_label }}", due=now + timedelta(hours=1, minutes=10, seconds=30)) == "Due in 1 hour 10 minutes"


def test_the_filters_read_minutes_and_days():
    assert render("{{ minutes|duration }}; {{ n|days }}", minutes=125, n=1) == "2 hours 5 minutes; 1 day"

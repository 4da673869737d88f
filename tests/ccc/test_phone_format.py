"""Phone numbers as people read them: UK numbers in national form, others international; tel: keeps E.164."""

import pytest
from django.template import Context, Template

from ccc.phone import format_phone


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+441134960777", "0113 496 0777"),  # a geographic number, grouped by its area code
        ("+442079460000", "020 7946 0000"),
        ("+447700900123", "07700 900123"),  # a mobile
        ("+448081570000", "0808 157 0000"),  # freephone
        ("+33142685300", "+33 1 42 68 53 00"),  # abroad: international form
        ("0113 496 0777", "0113 496 0777"),  # a directory number typed as text
        ("111", "111"),
        ("not a number", "not a number"),
        ("", ""),
    ],
)
def test_a_stored_number_is_shown_grouped_in_uk_national_form(stored, shown):
    assert format_phone(stored) == shown


def test_the_filter_shows_the_words_and_the_link_keeps_e164():
    template = Template('{% load ccc_tags %}<a href="tel:{{ n }}">{{ n|phone }}</a>')
    assert template.render(Context({"n": "+441134960777"})) == '<a href="tel:+441134960777">0113 496 0777</a>'

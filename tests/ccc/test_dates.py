"""The one date input: day, month and year boxes, errors in words, hints that fit the field."""

from datetime import date, datetime, timedelta

import pytest
from django import forms
from django.utils import timezone

from ccc.dates import DateInputWidget, UKDateField, UKDateTimeField, UKTimeField, date_hint, typed
from ccc.forms import NHSUKFormMixin


class DatesForm(NHSUKFormMixin, forms.Form):
    born = UKDateField(label="Date of birth", example="birth", past=True, autocomplete="bday")
    admitted = UKDateField(label="Date of admission", required=False, past=True)
    review = UKDateField(label="Review by", required=False, example="soon", future=True)
    started = UKDateTimeField(label="Started", required=False)
    at = UKTimeField(label="Time", required=False)


def boxes(name, day, month, year):
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def errors_for(data):
    form = DatesForm(data={**boxes("born", "15", "3", "1984"), **data})
    form.is_valid()
    return form.errors, form.cleaned_data


def test_the_three_boxes_make_a_date():
    errors, data = errors_for({})
    assert not errors and data["born"] == date(1984, 3, 15)


@pytest.mark.parametrize(
    ("typed_boxes", "message"),
    [
        (("31", "2", "1980"), "Enter a real date"),
        (("x", "2", "1980"), "Enter a real date"),
        (("1", "", "1980"), "Date of birth must include a month"),
        (("", "", "1980"), "Date of birth must include a day and a month"),
        (("1", "2", "80"), "Year must include 4 numbers"),
        (("", "", ""), "Enter date of birth"),
    ],
)
def test_a_date_that_is_not_real_or_whole_says_what_is_wrong(typed_boxes, message):
    errors, _ = errors_for(boxes("born", *typed_boxes))
    assert errors["born"] == [message]


def test_a_date_that_must_have_happened_is_refused_in_the_future_in_words():
    tomorrow = timezone.localdate() + timedelta(days=1)
    errors, _ = errors_for(boxes("admitted", str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)))
    assert errors["admitted"] == ["Date of admission must be today or in the past"]


def test_a_date_that_must_come_is_refused_in_the_past_in_words():
    errors, _ = errors_for(boxes("review", "1", "1", "2020"))
    assert errors["review"] == ["Review by must be today or in the future"]


def test_one_typed_string_is_still_read_for_old_links_and_callers():
    form = DatesForm(data={"born": "15/03/1984", "admitted": "2025-10-01", "started": "15 3 2026 14:05"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["admitted"] == date(2025, 10, 1)
    assert timezone.localtime(form.cleaned_data["started"]).strftime("%d %m %Y %H:%M") == "15 03 2026 14:05"


def test_a_date_and_time_are_typed_as_boxes_and_a_24_hour_time_in_uk_local_time():
    form = DatesForm(data={**boxes("born", "15", "3", "1984"), **boxes("started", "1", "7", "2026"), "started_time": "9:05"})
    assert form.is_valid(), form.errors
    started = form.cleaned_data["started"]
    assert timezone.localtime(started).strftime("%H:%M") == "09:05" and started.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({**boxes("started", "1", "7", "2026")}, "Started must include a time"),
        ({"started_time": "10:00"}, "Started must include a date"),
        ({**boxes("started", "1", "7", "2026"), "started_time": "25:00"}, "Enter a real time on the 24-hour clock, like 14:30"),
    ],
)
def test_half_a_date_and_time_says_which_half_is_missing(data, message):
    errors, _ = errors_for(data)
    assert errors["started"] == [message]


def test_the_boxes_are_the_nhs_date_input_in_a_fieldset_with_the_hint_and_error():
    form = DatesForm(data=boxes("born", "31", "2", "1980"))
    form.is_valid()
    html = form["born"].as_field_group()
    assert '<fieldset class="nhsuk-fieldset" aria-describedby="id_born-hint id_born-error">' in html
    assert '<legend class="nhsuk-fieldset__legend">Date of birth</legend>' in html
    assert 'class="nhsuk-date-input"' in html
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        assert f'name="born_{part}"' in html and f'autocomplete="bday-{part}"' in html
        assert f"nhsuk-date-input__input nhsuk-input--width-{width} nhsuk-input--error" in html
    assert 'value="31"' in html and "Enter a real date" in html
    assert form["born"].error_link_id == "id_born_0"  # the error summary leads to the day box


def test_a_date_and_time_render_four_boxes_in_one_row():
    form = DatesForm(initial={"started": timezone.make_aware(datetime(2026, 7, 1, 9, 5))})
    html = str(form["started"])
    assert html.count("nhsuk-date-input__item") == 4
    assert 'name="started_day" value="1"' in html and 'name="started_time" value="09:05"' in html


def test_hints_show_a_date_that_fits_the_field_and_never_go_stale():
    today = timezone.localdate()
    birth = date_hint("birth")
    assert birth == f"For example, 15 3 {today.year - 42}"
    assert date_hint("recent") == f"For example, {typed(today - timedelta(days=3))}"
    assert date_hint("soon") == f"For example, {typed(today + timedelta(days=7))}"
    form = DatesForm()
    assert form.fields["born"].help_text == birth
    assert str(form.fields["admitted"].help_text) == date_hint("recent")
    assert "1984" not in str(form.fields["admitted"].help_text)


def test_a_model_help_text_leads_the_hint():
    assert date_hint("recent", "The day the shift starts") == f"The day the shift starts. {date_hint('recent')}"


def test_the_widget_shows_a_stored_date_or_what_was_typed():
    widget = DateInputWidget()
    assert widget.decompress(date(2026, 3, 5)) == [5, 3, 2026]
    assert widget.decompress("2026-03-05") == ["05", "03", "2026"]
    assert widget.decompress("5/3/2026") == ["5", "3", "2026"]
    assert widget.decompress(None) == [None, None, None]


# The dashboard's period filter (reporting/forms.py) is another helper's to move onto UKDateField;
# opel's day is an ISO link parameter, never typed.
# The system level page's day arrives from its own links only (ISO), never typed.
NOT_YET = {("opel.forms", "DayForm")}
FORM_MODULES = [
    "ccc.views", "ccc.second_factor", "directory.forms", "discharge.forms", "escalations.forms", "irr.forms",
    "opel.forms", "referrals.forms", "referrals.forms_call_backs", "referrals.forms_desk",
    "referrals.forms_patient_details", "referrals.forms_send", "reporting.forms", "triage.forms",
]


def test_every_typed_date_in_every_form_is_the_one_date_input():
    import importlib
    import inspect

    plain = []
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for class_name, form in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form, forms.BaseForm) or form.__module__ != module_name:
                continue
            for field_name, field in form.base_fields.items():
                typed_date = isinstance(field, (forms.DateField, forms.DateTimeField)) and not field.widget.is_hidden
                if typed_date and not isinstance(field, UKDateField) and (module_name, class_name) not in NOT_YET:
                    plain.append(f"{module_name}.{class_name}.{field_name}")
    assert plain == []

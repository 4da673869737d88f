"""Dates and times as people type them: the NHS design system's date input (day, month and year in
three boxes, nhsuk-date-input) for every date, and a 24-hour HH:MM box beside it for a date and time.

`UKDateField` is the one date field of every page form. It says what is wrong in words ("Enter a real
date", "Admission date must be today or in the past") and its hint shows a date that fits the field,
computed on the day it is shown: a birth date for a date of birth, a recent day for a past event,
a day soon for a planned one. The API keeps ISO dates (serializers, not these fields).
"""

from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy

# One typed string is still read ("15 3 1984", "15/03/1984", ISO): old links and callers that post it.
DATE_INPUT_FORMATS = ["%d %m %Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H %M", "%H:%M:%S"]
TIME_HINT = "24-hour clock, for example 14:30"
PARTS = ("day", "month", "year")

# What the hint's example looks like, by what the date is: a birth date shows a birth date.
EXAMPLES = {
    "birth": lambda today: date(today.year - 42, 3, 15),
    "recent": lambda today: today - timedelta(days=3),
    "soon": lambda today: today + timedelta(days=7),
}


def typed(day: date) -> str:
    """A date as it is typed in the three boxes: 15 3 1984."""
    return f"{day.day} {day.month} {day.year}"


def date_hint(example: str, lead: str = "") -> str:
    """The hint under a date: what the field asks (``lead``, if anything) and an example that fits it."""
    sample = f"For example, {typed(EXAMPLES[example](timezone.localdate()))}"
    return f"{lead.rstrip('.')}. {sample}" if lead else sample


lazy_date_hint = lazy(date_hint, str)


class DateInputWidget(forms.MultiWidget):
    """Day, month and year boxes (templates/forms/widgets/date_input.html), named <name>_day, _month, _year."""

    template_name = "forms/widgets/date_input.html"
    # NHS.UK frontend's widths: two characters for day and month, four for the year.
    WIDTHS = {"day": "nhsuk-input--width-2", "month": "nhsuk-input--width-2", "year": "nhsuk-input--width-4"}

    def __init__(self, attrs=None, autocomplete: str = ""):
        self.autocomplete = autocomplete  # "bday" for a date of birth: bday-day, bday-month, bday-year
        super().__init__({part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in PARTS}, attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            parts = value.replace("/", " ").replace("-", " ").replace(".", " ").split()
            if len(parts) == 3 and len(parts[0]) == 4:  # ISO
                parts.reverse()
            return parts if len(parts) == 3 else [value, "", ""]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for part, subwidget in zip(PARTS, context["widget"]["subwidgets"]):
            sub_attrs = subwidget["attrs"]
            sub_attrs.pop("aria-describedby", None)  # the fieldset carries the hint and the error
            classes = [name for name in sub_attrs.get("class", "").split() if name != "nhsuk-input"]
            sub_attrs["class"] = " ".join(["nhsuk-input", "nhsuk-date-input__input", self.WIDTHS[part], *classes])
            if self.autocomplete:
                sub_attrs["autocomplete"] = f"{self.autocomplete}-{part}"
            if part != "day":
                sub_attrs.pop("autofocus", None)
            subwidget["label"] = part.capitalize()
        return context

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""

    def value_from_datadict(self, data, files, name):
        if name in data and not any(f"{name}_{part}" in data for part in PARTS):
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class UKDateField(forms.DateField):
    """A date typed in day, month and year boxes.

    ``example`` picks the hint ("birth", "recent", "soon"); ``past`` refuses a date after today and
    ``future`` one before it, in the NHS design system's words. Services check the same rules.
    """

    widget = DateInputWidget
    input_formats = DATE_INPUT_FORMATS
    default_error_messages = {"invalid": "Enter a real date"}

    def __init__(self, *, example: str = "recent", past: bool = False, future: bool = False,
                 autocomplete: str = "", **kwargs):
        self.past, self.future = past, future
        # A model's own help text ("The day the shift starts") leads; the example follows it.
        kwargs["help_text"] = lazy_date_hint(example, str(kwargs.get("help_text") or ""))
        kwargs.setdefault("widget", DateInputWidget(autocomplete=autocomplete))
        super().__init__(**kwargs)

    @property
    def _name(self) -> str:
        return str(self.label or "The date")

    def to_python(self, value):
        if not isinstance(value, (list, tuple)):
            return super().to_python(value)
        parts = [str(part if part is not None else "").strip() for part in value]
        if not any(parts):
            return None
        missing = [part for part, typed_part in zip(PARTS, parts) if not typed_part]
        if missing:
            raise ValidationError(f"{self._name} must include a {' and a '.join(missing)}", code="incomplete")
        if not all(part.isdigit() for part in parts):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if len(parts[2]) != 4:
            raise ValidationError("Year must include 4 numbers", code="year_digits")
        day, month, year = (int(part) for part in parts)
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if self.past and value > today:
            raise ValidationError(f"{self._name} must be today or in the past", code="future")
        if self.future and value < today:
            raise ValidationError(f"{self._name} must be today or in the future", code="past")


class UKTimeField(forms.TimeField):
    """A time of day on the 24-hour clock (14:30), typed beside a UKDateField."""

    input_formats = TIME_INPUT_FORMATS
    default_error_messages = {"invalid": "Enter a real time on the 24-hour clock, like 14:30"}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", TIME_HINT)
        kwargs.setdefault("widget", forms.TimeInput(format="%H:%M", attrs={"class": "nhsuk-input--width-5"}))
        super().__init__(**kwargs)


class DateTimeInputWidget(forms.MultiWidget):
    """The day, month and year boxes with a fourth, the time: <name>_day, _month, _year and _time."""

    template_name = DateInputWidget.template_name

    def __init__(self, attrs=None):
        super().__init__({"": DateInputWidget(), "time": forms.TimeInput(format="%H:%M")}, attrs)

    def decompress(self, value):
        if isinstance(value, datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
            return [value.date(), value.strftime("%H:%M")]
        return [value, ""] if value else [None, ""]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        day, moment = context["widget"]["subwidgets"]
        moment["attrs"].pop("aria-describedby", None)
        classes = [name for name in moment["attrs"].get("class", "").split() if name != "nhsuk-input"]
        moment["attrs"]["class"] = " ".join(["nhsuk-input", "nhsuk-date-input__input", "nhsuk-input--width-5", *classes])
        moment["attrs"].pop("autofocus", None)
        moment["label"] = "Time"
        # One row of boxes, as the date input lays them out.
        context["widget"]["subwidgets"] = [*day["subwidgets"], moment]
        return context

    def id_for_label(self, id_):
        return f"{id_}_0_0" if id_ else ""

    def value_from_datadict(self, data, files, name):
        if name in data and f"{name}_time" not in data:
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class UKDateTimeField(forms.Field):
    """A moment typed as a date (day, month and year boxes) and a 24-hour time, in UK local time."""

    widget = DateTimeInputWidget
    default_error_messages = {"invalid": "Enter a real date and time"}

    def __init__(self, *, example: str = "recent", past: bool = False, future: bool = False, **kwargs):
        kwargs.setdefault("help_text", lazy_date_time_hint(example))
        super().__init__(**kwargs)
        self.day = UKDateField(label=self.label, required=False, past=past, future=future)
        self.time = UKTimeField(required=False)

    def to_python(self, value):
        if isinstance(value, datetime):
            return value
        if isinstance(value, str):  # one typed string: "15 3 2026 14:05" or ISO
            value = value.strip().replace("T", " ")
            value = value.rsplit(" ", 1) if value else [None, ""]
        day_value, time_value = (list(value) + [None, None])[:2]
        day_blank = not day_value or (
            isinstance(day_value, (list, tuple)) and not any(str(part or "").strip() for part in day_value)
        )
        if day_blank and not (time_value or "").strip():
            return None
        name = str(self.label or "The date and time")
        day = self.day.clean(day_value)
        if day is None:
            raise ValidationError(f"{name} must include a date", code="incomplete")
        moment = self.time.clean(time_value)
        if moment is None:
            raise ValidationError(f"{name} must include a time", code="incomplete")
        # make_aware picks the right offset on either side of a clock change.
        return timezone.make_aware(datetime.combine(day, moment))


def date_time_hint(example: str) -> str:
    return f"{date_hint(example)}, at 14:30 (24-hour clock)"


lazy_date_time_hint = lazy(date_time_hint, str)


def local_datetime(form: forms.Form, date_field: str, time_field: str) -> datetime | None:
    """The moment a date field and a time field of a cleaned form name, in UK local time."""
    day, moment = form.cleaned_data.get(date_field), form.cleaned_data.get(time_field)
    if day is None or moment is None:
        return None
    # make_aware picks the right offset on either side of a clock change.
    return timezone.make_aware(datetime.combine(day, moment))

from datetime import timedelta

from django import forms
from django.utils import timezone

from ccc.dates import UKDateField
from ccc.forms import NHSUKFormMixin
from ccc.reporting import Period, PeriodKind

LONGEST_CUSTOM_PERIOD = timedelta(days=366)


class PeriodForm(NHSUKFormMixin, forms.Form):
    """The period and the organisation or team the figures are for (read from the query string)."""

    period = forms.ChoiceField(
        label="Period",
        choices=[
            (PeriodKind.DAY, "Day"),
            (PeriodKind.WEEK, "Week"),
            (PeriodKind.MONTH, "Month"),
            (PeriodKind.CUSTOM, "From and to dates"),
        ],
        widget=forms.RadioSelect,
        initial=PeriodKind.WEEK,
    )
    date = UKDateField(label="Date", help_text="A day in the period, or the first day of your own dates.")
    end = UKDateField(label="To (for your own dates)", required=False)
    scope = forms.ChoiceField(label="Organisation or team", required=False)

    def __init__(self, data=None, *, scope_choices: list):
        data = data.copy() if data is not None else {}
        # An empty query string is this week for everybody.
        data.setdefault("period", PeriodKind.WEEK)
        data.setdefault("date", timezone.localdate().isoformat())
        super().__init__(data)
        if scope_choices:
            self.fields["scope"].choices = scope_choices
        else:
            del self.fields["scope"]

    def clean(self):
        cleaned = super().clean()
        kind, first, last = cleaned.get("period"), cleaned.get("date"), cleaned.get("end")
        if kind == PeriodKind.CUSTOM and first:
            if last is None:
                self.add_error("end", "Enter the last day of the period")
            elif last < first:
                self.add_error("end", "The last day must be on or after the first day")
            elif last - first >= LONGEST_CUSTOM_PERIOD:
                self.add_error("end", "Choose a period of a year or less")
        return cleaned

    @property
    def period_value(self) -> Period:
        data = self.cleaned_data
        return Period.around(PeriodKind(data["period"]), data["date"], data.get("end"))

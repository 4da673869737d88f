"""Forms for call-back requests: recording a call back, and a team's list."""

from django import forms

from ccc.forms import NHSUKFormMixin
from ccc.models import Team
from referrals.choices import move_choices
from referrals.models import CallBackRequest


class CallBackRecordForm(NHSUKFormMixin, forms.Form):
    status = forms.ChoiceField(label="What happened?", widget=forms.RadioSelect, choices=move_choices(CallBackRequest))
    note = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000,
        help_text="What was said on the call back; needed when closing without one",
    )


class CallBackTeamForm(NHSUKFormMixin, forms.Form):
    team = forms.ModelChoiceField(label="Team", queryset=Team.objects.order_by("name"), required=False,
                                  empty_label="All teams")

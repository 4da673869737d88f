from django import forms

from opel.models import LEVELS


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(label="Level", choices=LEVELS, coerce=int)
    reason = forms.CharField(label="Why", max_length=500, help_text="What the figures here do not show.")


class DayForm(forms.Form):
    day = forms.DateField(label="Day", input_formats=["%Y-%m-%d"])

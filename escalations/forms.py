from django import forms

from ccc.forms import NHSUKFormMixin


class AcknowledgeForm(NHSUKFormMixin, forms.Form):
    note = forms.CharField(
        label="Acknowledgement note",
        help_text="What you are doing about it, for the people on the next rung and the timeline.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )

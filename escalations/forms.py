from django import forms

from ccc.forms import NHSUKFormMixin


class AcknowledgeForm(NHSUKFormMixin, forms.Form):
    note = forms.CharField(
        label="What are you doing about it?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say what you are doing about it"},
    )

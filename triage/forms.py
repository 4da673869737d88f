from django import forms

from ccc.forms import NHSUKFormMixin
from triage.models import TriageDecision


class TriageDecisionForm(NHSUKFormMixin, forms.ModelForm):
    class Meta:
        model = TriageDecision
        fields = ["priority", "outcome", "clinical_note"]
        widgets = {
            "priority": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "clinical_note": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {"clinical_note": "Clinical note"}

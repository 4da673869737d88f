import uuid

from django import forms
from django.core.exceptions import ValidationError

from ccc.forms import NHSUKFormMixin
from ccc.nhs_number import normalise_nhs_number, validate_nhs_number
from referrals.models import NeedCategory, Patient, Referral

DATE_HINT = "For example, 15 3 1984"
DATE_INPUT_FORMATS = ["%d %m %Y", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class NHSNumberField(forms.CharField):
    def to_python(self, value):
        return normalise_nhs_number(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_nhs_number(value)


class PatientSearchForm(NHSUKFormMixin, forms.Form):
    nhs_number = NHSNumberField(label="NHS number", required=False, max_length=20, help_text="10 digits, for example 943 476 5919")
    name = forms.CharField(label="Name", required=False, max_length=200, help_text="First name, last name or both")
    date_of_birth = forms.DateField(
        label="Date of birth", required=False, input_formats=DATE_INPUT_FORMATS, help_text=DATE_HINT
    )

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("nhs_number") or data.get("name") or data.get("date_of_birth")):
            raise ValidationError("Enter an NHS number, or a name and date of birth")
        return data


class PatientForm(NHSUKFormMixin, forms.ModelForm):
    nhs_number = NHSNumberField(
        label="NHS number (if known)", required=False, max_length=20, help_text="10 digits, for example 943 476 5919"
    )
    date_of_birth = forms.DateField(label="Date of birth", input_formats=DATE_INPUT_FORMATS, help_text=DATE_HINT)

    class Meta:
        model = Patient
        fields = ["nhs_number", "given_name", "family_name", "date_of_birth", "address", "postcode", "gp_practice"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class ReferralForm(NHSUKFormMixin, forms.ModelForm):
    # Travels with the form so a second click or a resend finds the referral the first one made.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    class Meta:
        model = Referral
        fields = [
            "referrer_type",
            "referrer_name",
            "referrer_organisation",
            "referrer_phone",
            "need",
            "reason",
            "needs_description",
        ]
        widgets = {
            "referrer_type": forms.RadioSelect,
            "reason": forms.Textarea(attrs={"rows": 4}),
            "needs_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = NeedCategory.objects.filter(is_active=True)
        self.fields["need"].empty_label = "Choose what the person needs"
        self.fields["need"].choices = self._grouped_needs()
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)

    def _grouped_needs(self):
        groups: dict[str, list] = {}
        for need in self.fields["need"].queryset:
            groups.setdefault(need.group, []).append((need.pk, need.name))
        return [("", "Choose what the person needs"), *groups.items()]

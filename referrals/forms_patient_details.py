"""Forms for a patient's details, alerts and merges: parse only; the rules are the services'."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from ccc.dates import UKDateField
from ccc.forms import NHSUKFormMixin
from referrals.forms import PhoneField
from referrals.models import CommunicationNeed, PatientPhone, SafetyAlert


class CommunicationForm(NHSUKFormMixin, forms.Form):
    preferred_language = forms.CharField(
        label="Preferred language", max_length=60, required=False, help_text="Leave blank for English"
    )
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    communication_needs = forms.MultipleChoiceField(
        label="Communication needs (Accessible Information Standard)", choices=CommunicationNeed.choices,
        widget=forms.CheckboxSelectMultiple, required=False,
    )
    communication_notes = forms.CharField(label="More about communication needs", widget=forms.Textarea(attrs={"rows": 3}),
                                          required=False)
    is_carer = forms.BooleanField(label="The patient is a carer for someone", required=False)


class PhoneForm(NHSUKFormMixin, forms.Form):
    # Checked again by the service, so the API refuses the same numbers.
    number = PhoneField(label="Phone number")
    kind = forms.ChoiceField(choices=PatientPhone.Kind.choices, widget=forms.RadioSelect, initial=PatientPhone.Kind.MOBILE)
    call_first = forms.BooleanField(label="Call this number first", required=False)
    note = forms.CharField(max_length=200, required=False, help_text="For example: best after 10am")


class SupportPersonForm(NHSUKFormMixin, forms.Form):
    name = forms.CharField(max_length=200)
    relationship = forms.CharField(max_length=100, required=False, help_text="For example: daughter, neighbour")
    phone = PhoneField(label="Phone number", required=False)
    address = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    is_next_of_kin = forms.BooleanField(label="Next of kin", required=False)
    is_carer = forms.BooleanField(label="Carer", required=False)


class SafetyAlertForm(NHSUKFormMixin, forms.Form):
    category = forms.ChoiceField(choices=SafetyAlert.Category.choices, widget=forms.RadioSelect)
    detail = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
        help_text="What staff must know and do, for example: son can be aggressive; visit in pairs",
    )
    review_on = UKDateField(label="Review by", example="soon")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("review_on", timezone.localdate() + timedelta(days=90))


class SafetyAlertEndForm(NHSUKFormMixin, forms.Form):
    reason = forms.CharField(label="Why it no longer applies", max_length=300)


class PatientMergeForm(NHSUKFormMixin, forms.Form):
    duplicate = forms.UUIDField(
        label="Record number of the duplicate", help_text="From the address of the duplicate's patient page"
    )
    reason = forms.CharField(max_length=300, help_text="How you know these records are the same person")
    confirmed = forms.BooleanField(
        label="I have checked these are the same person: move everything to this record", required=True
    )

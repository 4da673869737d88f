import uuid
from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.forms import NHSUKFormMixin
from ccc.models import Organisation
from ccc.nhs_number import normalise_nhs_number, validate_nhs_number
from referrals.models import FollowUpCall, NeedCategory, Patient, Referral, TransportBooking

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
        help_texts = {"gp_practice": "Type the first letters of the practice name to jump to it"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        practice = self.fields["gp_practice"]
        practice.queryset = Organisation.objects.filter(kind=Organisation.Kind.GP_PRACTICE).order_by("name")
        practice.empty_label = "Not known"
        practice.label_from_instance = lambda org: f"{org.name} ({org.ods_code})" if org.ods_code else org.name


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


class SubmissionKeyMixin(forms.Form):
    # Travels with the form so a second click or a resend finds the record the first one made.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)


def _local_datetime(form: forms.Form, date_field: str, time_field: str) -> datetime | None:
    day, moment = form.cleaned_data.get(date_field), form.cleaned_data.get(time_field)
    if day is None or moment is None:
        return None
    # UK local time as typed; make_aware picks the right offset on either side of a clock change.
    return timezone.make_aware(datetime.combine(day, moment))


class FollowUpCallScheduleForm(NHSUKFormMixin, SubmissionKeyMixin, forms.Form):
    due_date = forms.DateField(label="Date of the call", input_formats=DATE_INPUT_FORMATS, help_text=DATE_HINT)
    due_time = forms.TimeField(label="Time of the call", help_text="24-hour clock, for example 14:30")
    reason = forms.CharField(label="Reason for the call", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean(self):
        data = super().clean()
        data["due_at"] = _local_datetime(self, "due_date", "due_time")
        return data


class FollowUpOutcomeForm(NHSUKFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="How did the call go?",
        widget=forms.RadioSelect,
        choices=[(value, label) for value, label in FollowUpCall.Status.choices if value != FollowUpCall.Status.DUE],
    )
    note = forms.CharField(
        label="Notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Needed when the patient raised concerns",
    )


class TransportBookingForm(NHSUKFormMixin, SubmissionKeyMixin, forms.Form):
    pickup_from = forms.CharField(label="Pick up from", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
    destination = forms.CharField(label="Take to", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)
    pickup_date = forms.DateField(label="Pick-up date", input_formats=DATE_INPUT_FORMATS, help_text=DATE_HINT)
    pickup_time = forms.TimeField(label="Pick-up time", help_text="24-hour clock, for example 09:30")
    mobility = forms.ChoiceField(label="Mobility", widget=forms.RadioSelect, choices=TransportBooking.Mobility.choices)
    escort_needed = forms.BooleanField(label="Escort needed", required=False)
    notes = forms.CharField(label="Notes for the crew", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            max_length=2000)

    def clean(self):
        data = super().clean()
        data["pickup_at"] = _local_datetime(self, "pickup_date", "pickup_time")
        return data


class TransportStatusForm(NHSUKFormMixin, forms.Form):
    status = forms.ChoiceField(label="New status", widget=forms.RadioSelect, choices=[])
    cancel_reason = forms.CharField(label="Reason for cancelling", required=False, max_length=300,
                                    help_text="Needed when cancelling")

    def __init__(self, *args, booking: TransportBooking, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TransportBooking.TRANSITIONS.get(booking.status, frozenset())
        self.fields["status"].choices = [(v, label) for v, label in TransportBooking.Status.choices if v in allowed]

"""The desk's work-list forms: follow-up calls (scheduling, outcomes) and patient transport."""

from django import forms

from ccc.dates import UKDateField, UKTimeField, local_datetime
from ccc.forms import NHSUKFormMixin
from referrals.choices import move_choices
from referrals.forms import SubmissionKeyMixin
from referrals.models import FollowUpCall, TransportBooking


class FollowUpCallScheduleForm(NHSUKFormMixin, SubmissionKeyMixin, forms.Form):
    due_date = UKDateField(label="Date of the call", example="soon")
    due_time = UKTimeField(label="Time of the call")
    reason = forms.CharField(label="Reason for the call", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def clean(self):
        data = super().clean()
        data["due_at"] = local_datetime(self, "due_date", "due_time")
        return data


class FollowUpOutcomeForm(NHSUKFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="How did the call go?",
        widget=forms.RadioSelect,
        choices=move_choices(FollowUpCall),
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
    pickup_date = UKDateField(label="Pick-up date", example="soon")
    pickup_time = UKTimeField(label="Pick-up time")
    mobility = forms.ChoiceField(label="Mobility", widget=forms.RadioSelect, choices=TransportBooking.Mobility.choices)
    escort_needed = forms.BooleanField(label="Escort needed", required=False)
    notes = forms.CharField(label="Notes for the crew", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            max_length=2000)

    def clean(self):
        data = super().clean()
        data["pickup_at"] = local_datetime(self, "pickup_date", "pickup_time")
        return data


class TransportStatusForm(NHSUKFormMixin, forms.Form):
    status = forms.ChoiceField(label="New status", widget=forms.RadioSelect, choices=[])
    cancel_reason = forms.CharField(label="Reason for cancelling", required=False, max_length=300,
                                    help_text="Needed when cancelling")

    def __init__(self, *args, booking: TransportBooking, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer the statuses the table's moves lead to from where the booking is now.
        self.fields["status"].choices = move_choices(TransportBooking, booking.status)

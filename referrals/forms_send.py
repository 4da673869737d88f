"""The referral form as a GP practice or ward sends it."""

from django import forms

from ccc.dates import UKDateField
from ccc.forms import NHSUKFormMixin
from referrals.forms import NHSNumberField, PostcodeField, ReferralForm


class ReferralSendForm(ReferralForm):
    """The call handler's referral form as a GP practice or ward sends it: the patient named here,
    the referrer taken from the account (so any intake field added to ReferralForm is asked here too)."""

    PATIENT_FIELDS = ("nhs_number", "given_name", "family_name", "date_of_birth", "postcode")
    FROM_ACCOUNT = (
        "referrer_type", "referrer_name", "referrer_organisation", "referring_practice", "referring_ward",
        "proceed_despite_open",
    )

    nhs_number = NHSNumberField(label="Patient's NHS number", max_length=20, help_text="10 digits, for example 943 476 5919")
    given_name = forms.CharField(label="Patient's first name", max_length=100)
    family_name = forms.CharField(label="Patient's last name", max_length=100)
    date_of_birth = UKDateField(label="Patient's date of birth", example="birth", past=True)
    postcode = PostcodeField(label="Patient's postcode", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.FROM_ACCOUNT:
            del self.fields[name]
        self.fields["referrer_phone"].label = "A phone number the duty clinician can reach you on"
        self.fields["nhs_number"].widget.attrs["autofocus"] = True
        self.order_fields([*self.PATIENT_FIELDS, *self.fields])

    def service_arguments(self) -> dict:
        """``referral_send``'s arguments from the cleaned form (the submission key as the idempotency key)."""
        from referrals.services import PatientDetails

        data = dict(self.cleaned_data)
        details = PatientDetails(**{name: data.pop(name) for name in self.PATIENT_FIELDS})
        return {"idempotency_key": data.pop("submission_key"), "patient_details": details, **data}


class ReferralCancelForm(NHSUKFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why you are cancelling it",
        help_text="The duty team and the referral's history keep this, with your name",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

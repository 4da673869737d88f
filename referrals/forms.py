import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.dates import UKDateField, UKDateTimeField
from ccc.forms import NHSUKFormMixin
from ccc.models import Organisation, Team, User
from ccc.nhs_number import normalise_nhs_number, validate_nhs_number
from ccc.phone import PHONE_HINT, normalise_phone
from ccc.postcodes import normalise_postcode, validate_postcode
from referrals.models import CallBackRequest, Contact, NeedCategory, Patient, Referral
from referrals.permissions import call_back_clinicians
from triage.models import PRIORITY_MEANING, Priority, RedFlagQuestion


class NHSNumberField(forms.CharField):
    def to_python(self, value):
        return normalise_nhs_number(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_nhs_number(value)


class PostcodeField(forms.CharField):
    """A UK postcode, stored as "LS1 4AP" however it was typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", "For example, LS1 4AP")
        super().__init__(**kwargs)
        self.error_messages["max_length"] = "Enter a full UK postcode, like LS1 4AP"

    def to_python(self, value):
        return normalise_postcode(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            validate_postcode(value)


class PhoneField(forms.CharField):
    """A UK phone number, stored in E.164 so the same caller matches however it was typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("help_text", PHONE_HINT)
        super().__init__(**kwargs)
        self.error_messages["max_length"] = "Enter a phone number of 30 characters or fewer"

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else ""


def _short_text(label: str, max_length: int, min_length: int = 2) -> dict:
    """Error messages for searches: 1 character or a pasted essay gets a clear answer, not a scan."""
    return {
        "min_length": f"Enter at least {min_length} characters of the {label}",
        "max_length": f"Enter a {label} of {max_length} characters or fewer",
    }


class PatientSearchForm(NHSUKFormMixin, forms.Form):
    nhs_number = NHSNumberField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, for example 943 476 5919",
        error_messages={"max_length": "Enter an NHS number with 10 digits, for example 943 476 5919"},
        widget=forms.TextInput(attrs={"autofocus": True, "inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(
        label="Name",
        required=False,
        min_length=2,
        max_length=200,
        help_text="First name, last name or both",
        error_messages=_short_text("name", 200),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = UKDateField(label="Date of birth", required=False, example="birth", past=True)
    postcode = PostcodeField(label="Postcode", required=False, help_text="A full UK postcode, for example LS1 4AP")

    def clean(self):
        data = super().clean()
        if not self.errors and not (
            data.get("nhs_number") or data.get("name") or data.get("date_of_birth") or data.get("postcode")
        ):
            raise ValidationError("Enter an NHS number, or a name and date of birth, or a postcode")
        return data


def identity_choice_field() -> forms.BooleanField:
    """The explicit choice to go on with the person an NHS number is recorded for, though the name or
    date of birth typed differ: hidden until the service finds such a difference (show_identity_choice)."""
    return forms.BooleanField(
        label="The NHS number is right and this is the person recorded with it: use their record",
        required=False,
        widget=forms.HiddenInput,
    )


def show_identity_choice(form: forms.Form) -> None:
    form.fields["confirmed_same_person"].widget = forms.CheckboxInput()


class PatientForm(NHSUKFormMixin, forms.ModelForm):
    nhs_number = NHSNumberField(
        label="NHS number (if known)", required=False, max_length=20, help_text="10 digits, for example 943 476 5919"
    )
    date_of_birth = UKDateField(label="Date of birth", example="birth", past=True, autocomplete="bday")
    postcode = PostcodeField(label="Postcode", required=False)
    # Shown only when a probable duplicate is found (see patient_form.html).
    confirmed_different = forms.BooleanField(
        label="This is a different person: none of the patients above is them", required=False
    )

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
        self.fields["nhs_number"].widget.attrs["autofocus"] = True

    def _get_validation_exclusions(self):
        # The unique NHS number is left to services.patient_create (the form field checks the digits):
        # a known number given with another name or date of birth must show both people
        # (PatientIdentityMismatch), not only "already recorded".
        return super()._get_validation_exclusions() | {"nhs_number"}


class RedFlagCheckboxes(forms.CheckboxSelectMultiple):
    """Each question carries its need, so the page can show only the chosen need's screen."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if hasattr(value, "instance"):
            option["attrs"]["data-need"] = value.instance.need_id
        return option


class RedFlagField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: RedFlagQuestion) -> str:
        return f"{obj.need.name}: {obj.question} (yes: {obj.get_urgency_display().lower()}, {obj.meaning})"


class ReferralForm(NHSUKFormMixin, forms.ModelForm):
    # Travels with the form so a second click or a resend finds the referral the first one made.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    referrer_phone = PhoneField(label="Referrer's phone number", required=False)
    # Set once the call handler has seen the warning about an open referral in the same queue.
    proceed_despite_open = forms.BooleanField(widget=forms.HiddenInput, required=False)
    # The red-flag screen of the chosen need; the service checks each question is that need's.
    red_flags = RedFlagField(
        label="Red flags: ask each question for this need and tick every yes",
        queryset=RedFlagQuestion.objects.none(),
        required=False,
        widget=RedFlagCheckboxes,
        help_text="The most urgent yes sets the urgency. Tick none if every answer is no.",
    )
    urgency = forms.ChoiceField(
        label="Urgency, if no red flag applies",
        required=False,
        widget=forms.RadioSelect,
        help_text="A red flag answered yes is never lowered by this.",
    )
    field_order = [
        "referrer_type", "referrer_name", "referrer_organisation", "referrer_phone", "referring_practice",
        "referring_ward", "need", "reason", "red_flags", "urgency", "emergency_advice_given", "needs_description",
    ]

    class Meta:
        model = Referral
        fields = [
            "referrer_type",
            "referrer_name",
            "referrer_organisation",
            "referrer_phone",
            "referring_practice",
            "referring_ward",
            "need",
            "reason",
            "needs_description",
            "emergency_advice_given",
        ]
        labels = {"emergency_advice_given": "I have advised the caller to dial 999"}
        help_texts = {
            "emergency_advice_given": "Needed when there is a risk to life (emergency)",
            "referring_practice": "When a GP practice refers: the practice can then track the referral",
            "referring_ward": "When a hospital ward refers: the ward can then track the referral",
        }
        widgets = {
            "referrer_type": forms.RadioSelect(attrs={"autofocus": True}),
            "reason": forms.Textarea(attrs={"rows": 4}),
            "needs_description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = NeedCategory.objects.filter(is_active=True)
        self.fields["need"].empty_label = "Choose what the person needs"
        # Read when the form is drawn, not when a valid POST only validates the one need chosen.
        self.fields["need"].choices = self._grouped_needs
        self.fields["red_flags"].queryset = (
            RedFlagQuestion.objects.filter(is_active=True, need__is_active=True)
            .select_related("need")
            .order_by("need__group", "need__name", "position", "pk")
        )
        self.fields["urgency"].choices = [("", "Let the red flags decide (routine if none)")] + [
            (value, f"{label}: {PRIORITY_MEANING[value]}") for value, label in Priority.choices
        ]
        self.fields["referring_practice"].queryset = Organisation.objects.filter(kind=Organisation.Kind.GP_PRACTICE)
        self.fields["referring_practice"].empty_label = "Not a GP practice"
        self.fields["referring_ward"].queryset = Team.objects.filter(
            organisation__kind=Organisation.Kind.ACUTE_TRUST
        ).select_related("organisation")
        self.fields["referring_ward"].empty_label = "Not a hospital ward"
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


# The front desk: contacts.

class ContactForm(NHSUKFormMixin, forms.ModelForm):
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    caller_phone = PhoneField(label="Caller's phone number", required=False)
    started_at = UKDateTimeField(label="Started", past=True)
    duration_minutes = forms.IntegerField(
        label="Duration in minutes", min_value=0, max_value=600, initial=0,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4", "inputmode": "numeric"}),
        error_messages={"max_value": "Enter a duration of 600 minutes or fewer", "min_value": "Enter 0 minutes or more"},
    )
    # Transferred or "call back requested": the request goes on the team's list (nothing by word of mouth).
    call_back_team = forms.ModelChoiceField(
        label="Team to call back (or transferred to)", queryset=Team.objects.order_by("name"), required=False,
        help_text="Needed when the call is transferred or a call back is requested",
    )
    call_back_clinician = forms.ModelChoiceField(
        label="Clinician asked for (optional)", queryset=User.objects.none(), required=False,
        empty_label="Anyone in the team",
    )
    call_back_urgency = forms.ChoiceField(
        label="How urgent is the call back?", choices=CallBackRequest.Urgency.choices, required=False,
        initial=CallBackRequest.Urgency.SOON, widget=forms.RadioSelect,
    )

    class Meta:
        model = Contact
        fields = [
            "caller_type",
            "channel",
            "caller_name",
            "caller_organisation",
            "caller_phone",
            "started_at",
            "duration_minutes",
            "reason",
            "outcome",
            "signposted_to",
        ]
        help_texts = {
            "signposted_to": "Required when signposted; for “just to talk”, the befriending or support service offered",
        }
        widgets = {
            "caller_type": forms.RadioSelect(attrs={"autofocus": True}),
            "channel": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)
            self.initial.setdefault("started_at", timezone.localtime().replace(second=0, microsecond=0))
        # "Referral created" is never chosen: raising the referral sets it.
        self.fields["outcome"].choices = [
            choice for choice in self.fields["outcome"].choices if choice[0] != Contact.Outcome.REFERRAL_CREATED
        ]
        self.fields["call_back_clinician"].queryset = call_back_clinicians(User.objects.order_by("first_name", "last_name"))

    def clean(self):
        data = super().clean()
        if data.get("outcome") not in Contact.CALL_BACK_OUTCOMES:
            # Chosen and then the outcome changed: no request to make.
            data["call_back_team"], data["call_back_clinician"] = None, None
        data["call_back_urgency"] = data.get("call_back_urgency") or CallBackRequest.Urgency.SOON
        return data


class ContactAmendForm(ContactForm):
    field_order = ["amendment_reason"]
    amendment_reason = forms.CharField(
        label="Why it is being corrected", max_length=500,
        help_text="Kept with the correction; the original stays in the contact's history",
    )

    def __init__(self, *args, linked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caller_type"].widget.attrs.pop("autofocus", None)
        self.fields["amendment_reason"].widget.attrs["autofocus"] = True
        if linked:
            del self.fields["outcome"]  # it raised a referral: it stays "referral created"
        for name in ("call_back_team", "call_back_clinician", "call_back_urgency"):
            del self.fields[name]  # a correction asks nobody to call back

    def clean(self):
        return forms.ModelForm.clean(self)


class SignpostForm(NHSUKFormMixin, SubmissionKeyMixin, forms.Form):
    signposted_to = forms.CharField(
        label="Service signposted to", max_length=200,
        help_text="For example, Northfield Befriending Network",
        widget=forms.TextInput(attrs={"autofocus": True}),
    )


class ContactSearchForm(NHSUKFormMixin, forms.Form):
    q = forms.CharField(
        label="Find contacts",
        required=False,
        min_length=2,
        max_length=100,
        help_text="Caller's name or phone number, or the patient's name or NHS number",
        error_messages=_short_text("search", 100),
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "type": "search"}),
    )

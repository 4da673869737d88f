import uuid

from django import forms

from ccc.dates import UKDateField
from ccc.forms import NHSUKFormMixin
from ccc.models import Organisation
from discharge.models import (
    Attribution,
    DelayReason,
    Partner,
    Pathway,
    PathwayService,
    RegisterEntry,
    Ward,
)
from discharge.selectors import toc_team
from referrals.forms import NHSNumberField, identity_choice_field


def _date(label: str, required: bool = True) -> UKDateField:
    """A day that has happened (admitted, reviewed, discharged, ...): the services refuse a future one too."""
    return UKDateField(label=label, required=required, past=True)


class RegisterForm(NHSUKFormMixin, forms.Form):
    # Travels with the form so a second click finds the entry the first one made.
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    nhs_number = NHSNumberField(
        label="NHS number (if known)", required=False, max_length=20,
        help_text="If the CCC already knows the patient by this number, their record is used",
    )
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = UKDateField(label="Date of birth", example="birth", past=True)
    ward = forms.ModelChoiceField(queryset=Ward.objects.filter(is_active=True), empty_label="Choose a ward")
    admitted_on = _date("Admission date")
    consultant = forms.CharField(max_length=200)
    source = forms.ChoiceField(
        label="Referred to the team by", choices=RegisterEntry.Source.choices, widget=forms.RadioSelect
    )
    referred_on = _date("Date referred to the team")
    fit_on = _date("Date declared medically fit for discharge", required=False)
    owner = forms.ModelChoiceField(queryset=toc_team(), required=False, empty_label="Nobody yet")
    next_action = forms.CharField(max_length=300, required=False)
    next_action_due = UKDateField(label="Next action due", required=False, example="soon")
    confirmed_same_person = identity_choice_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = toc_team()
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4().hex)


class EntryUpdateForm(NHSUKFormMixin, forms.Form):
    owner = forms.ModelChoiceField(queryset=toc_team(), required=False, empty_label="Nobody yet")
    next_action = forms.CharField(max_length=300, required=False)
    next_action_due = UKDateField(label="Next action due", required=False, example="soon")
    fit_on = _date("Date declared medically fit for discharge", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = toc_team()


class BoardFilterForm(forms.Form):
    ward = forms.ModelChoiceField(queryset=Ward.objects.filter(is_active=True), required=False, empty_label="All wards")
    pathway = forms.ChoiceField(
        choices=[("", "All pathways"), ("none", "No pathway yet"), *Pathway.choices], required=False
    )
    owner = forms.ModelChoiceField(queryset=toc_team(), required=False, empty_label="Anyone")
    workable = forms.ChoiceField(
        label="Today",
        choices=[("", "Everyone"), ("yes", "Workable today"), ("waiting", "Waiting on someone else")],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = toc_team()
        for field in self.fields.values():
            field.widget.attrs["class"] = "nhsuk-select"


class PathwayForm(NHSUKFormMixin, forms.Form):
    pathway = forms.TypedChoiceField(choices=Pathway.choices, coerce=int, widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason for the change", required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when changing a pathway already set",
    )


class ReserveForm(NHSUKFormMixin, forms.Form):
    service = forms.ModelChoiceField(
        label="Service", queryset=PathwayService.objects.filter(is_active=True), empty_label="Choose a service"
    )


class DelayForm(NHSUKFormMixin, forms.Form):
    reason = forms.ModelChoiceField(label="Delay reason", queryset=DelayReason.objects.filter(is_active=True))
    attribution = forms.ChoiceField(choices=Attribution.choices, widget=forms.RadioSelect)
    starts_on = _date("Delayed from")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        labels = dict(DelayReason.CodeSet.choices)
        for reason in self.fields["reason"].queryset:
            groups.setdefault(labels[reason.code_set], []).append((reason.pk, str(reason)))
        self.fields["reason"].choices = [("", "Choose a reason"), *groups.items()]


class SignOffForm(NHSUKFormMixin, forms.Form):
    partner = forms.ChoiceField(label="Signing for", choices=Partner.choices)


class ResidenceReviewForm(NHSUKFormMixin, forms.Form):
    reviewed_on = _date("Day reviewed")
    meets_criteria = forms.TypedChoiceField(
        label="Does the patient meet the criteria to reside?",
        choices=[("yes", "Yes, they still need an acute bed"), ("no", "No, they no longer meet the criteria")],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
    )
    not_met_since = _date("If not, since when", required=False)
    note = forms.CharField(label="Comments from the review", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DischargeDatesForm(NHSUKFormMixin, forms.Form):
    discharge_ready_on = _date("Discharge ready date", required=False)
    reason = forms.CharField(
        label="Why the discharge ready date is set by hand", required=False, max_length=300,
        help_text="Needed when you change the discharge ready date here rather than by a daily review",
    )
    expected_discharge_on = UKDateField(label="Expected discharge date", required=False, example="soon")


class DelayEndForm(NHSUKFormMixin, forms.Form):
    ends_on = _date("End date of the delay")


class AssessmentForm(NHSUKFormMixin, forms.Form):
    assessor_name = forms.CharField(label="Trusted assessor", max_length=200)
    assessor_organisation = forms.ModelChoiceField(
        label="Assessor's organisation", queryset=Organisation.objects.all(), empty_label="Choose an organisation"
    )
    assessed_on = _date("Date assessed")
    summary = forms.CharField(label="Assessment summary", widget=forms.Textarea(attrs={"rows": 3}))


class DischargeForm(NHSUKFormMixin, forms.Form):
    discharged_on = _date("Discharge date")
    destination = forms.CharField(max_length=200)
    pathway_used = forms.TypedChoiceField(
        label="Pathway used", choices=Pathway.choices, coerce=int, widget=forms.RadioSelect
    )
    readmission_risk = forms.ChoiceField(choices=RegisterEntry.ReadmissionRisk.choices, widget=forms.RadioSelect)


class OccupancyForm(NHSUKFormMixin, forms.Form):
    ward = forms.ModelChoiceField(queryset=Ward.objects.filter(is_active=True), empty_label="Choose a ward")
    on = _date("Date")
    occupied_beds = forms.IntegerField(label="Occupied beds at midnight", min_value=0)


class OccupancyUploadForm(NHSUKFormMixin, forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: ward,date,occupied_beds (ward codes as in the trust's files)")

    def clean_file(self) -> str:
        """The file's text, for the service to check line by line."""
        try:
            return self.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not a UTF-8 CSV file") from None

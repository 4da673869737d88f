import uuid

from django import forms

from ccc.dates import UKDateField
from ccc.forms import NHSUKFormMixin
from directory.models import DAY_CODES, DAY_NAMES, Location, Organization, Service, TaxonomyTerm
from directory.selectors import MAX_QUERY_LENGTH

TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M", "%H:%M:%S"]


class SearchForm(NHSUKFormMixin, forms.Form):
    text = forms.CharField(
        label="What does the person need?", required=False, max_length=MAX_QUERY_LENGTH,
        help_text="Words about the need or the service, for example befriending, falls, foodbank",
    )
    term = forms.ModelChoiceField(
        label="Category", queryset=TaxonomyTerm.objects.order_by("name"), required=False, empty_label="Any category",
        to_field_name="id",
    )
    area = forms.CharField(
        label="Postcode or area", required=False, max_length=100,
        help_text="Where the person lives: a postcode (NF1 2AB), a postcode district (NF1) or a place name",
    )
    age = forms.IntegerField(label="Age", required=False, min_value=0, max_value=130, widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}))
    criteria = forms.CharField(
        label="Condition or circumstance", required=False, max_length=100,
        help_text="Matched against who each service is for, for example dementia or carer",
    )
    open_now = forms.BooleanField(label="Open now", required=False)
    self_referral = forms.BooleanField(label="Takes self-referrals", required=False)


class SignpostForm(forms.Form):
    service = forms.UUIDField(required=False)
    need = forms.CharField(max_length=200, required=False)
    unmet_need = forms.BooleanField(required=False)
    note = forms.CharField(required=False, max_length=2000)
    submission_key = forms.CharField(max_length=64)


class _CreatesOnce(forms.Form):
    # The new record's id, chosen when the form is first shown: a double submit makes one record.
    new_id = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.instance._state.adding:
            del self.fields["new_id"]
        else:
            self.initial.setdefault("new_id", uuid.uuid4())


class OrganizationForm(NHSUKFormMixin, forms.ModelForm, _CreatesOnce):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = ["name", "description", "email", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class LocationForm(NHSUKFormMixin, forms.ModelForm, _CreatesOnce):
    class Meta:
        model = Location
        fields = ["name", "organization", "location_type", "description", "address_1", "city", "state_province", "postal_code"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "location_type": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(retired_at__isnull=True)


class ServiceForm(NHSUKFormMixin, forms.ModelForm, _CreatesOnce):
    terms = forms.ModelMultipleChoiceField(
        label="Needs and categories", queryset=TaxonomyTerm.objects.order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area_name = forms.CharField(label="Area covered", max_length=300, help_text="A place name, for example Northfield")
    postcode_districts = forms.CharField(
        label="Postcode districts covered", max_length=2000, help_text="Separated by spaces, for example NF1 NF2 NF3"
    )
    days = forms.MultipleChoiceField(
        label="Days open", choices=[(code, DAY_NAMES[code]) for code in DAY_CODES], required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    opens_at = forms.TimeField(
        label="Opens at", required=False, input_formats=TIME_FORMATS, help_text="For example 09:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "nhsuk-input--width-5"}),
    )
    closes_at = forms.TimeField(
        label="Closes at", required=False, input_formats=TIME_FORMATS,
        help_text="For example 17:00. Earlier than the opening time: open past midnight. The same: open all day.",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "nhsuk-input--width-5"}),
    )
    phone = forms.CharField(label="Phone number for referrals", required=False, max_length=40)
    url = forms.URLField(label="Website", required=False, assume_scheme="https")
    locations = forms.ModelMultipleChoiceField(
        label="Where it is delivered", queryset=Location.objects.filter(retired_at__isnull=True), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version the editor started from, so a save over someone else's newer change is refused.
    seen_last_modified = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Service
        fields = [
            "organization", "name", "description", "eligibility", "minimum_age", "maximum_age", "self_referral",
            "referral_method", "url", "email", "fees", "alert", "status", "assured_date", "assurer_email",
        ]
        field_classes = {"assured_date": UKDateField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "referral_method": forms.Textarea(attrs={"rows": 2}),
            "fees": forms.Textarea(attrs={"rows": 2}),
            "alert": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(retired_at__isnull=True)
        # Retiring has its own button; here a service is active, paused or closed.
        self.fields["status"].choices = [c for c in Service.Status.choices if c[0] != Service.Status.DEFUNCT]
        service = self.instance
        if service.pk and not service._state.adding:
            area = service.service_areas.first()
            schedule = service.schedules.first()
            contact = service.contacts.first()
            self.initial.update(
                terms=[a.taxonomy_term_id for a in service.attributes.all()],
                locations=[link.location_id for link in service.service_at_locations.all()],
                area_name=area.name if area else "",
                postcode_districts=area.extent if area else "",
                days=schedule.byday.split(",") if schedule and schedule.byday else [],
                opens_at=schedule.opens_at if schedule else None,
                closes_at=schedule.closes_at if schedule else None,
                phone=contact.phone if contact else "",
                seen_last_modified=service.last_modified,
            )

    def clean(self):
        data = super().clean()
        if bool(data.get("opens_at")) != bool(data.get("closes_at")):
            self.add_error("closes_at", "Enter both the opening and the closing time, or neither")
        return data

    def service_kwargs(self) -> dict:
        """The form's answers as keyword arguments of services.service_create / service_update."""
        from directory.services import Area, OpeningTimes

        data = dict(self.cleaned_data)
        kwargs = {name: data[name] for name in self.Meta.fields}
        kwargs.update(
            terms=list(data["terms"]),
            locations=list(data["locations"]),
            area=Area(data["area_name"], data["postcode_districts"]),
            opening_times=OpeningTimes(data["days"], data["opens_at"], data["closes_at"]),
            phone=data["phone"],
        )
        if "new_id" in data:
            kwargs["new_id"] = data["new_id"]
        return kwargs

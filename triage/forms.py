from django import forms

from ccc.dates import UKDateField
from ccc.forms import NHSUKFormMixin
from ccc.models import User
from directory.models import Service
from triage.models import PRIORITY_MEANING, DutyQueue, Priority, QueueItem, RiskLevel, RotaEntry, Shift, TriageDecision

RISK_FIELDS = ["risk_to_self", "risk_to_others", "risk_from_others"]


class TriageDecisionForm(NHSUKFormMixin, forms.ModelForm):
    """The decision, its risk assessment, and what the chosen outcome needs: the service says what."""

    risk_to_self = forms.ChoiceField(label="Risk to self", choices=RiskLevel.choices, widget=forms.RadioSelect)
    risk_to_others = forms.ChoiceField(label="Risk to others", choices=RiskLevel.choices, widget=forms.RadioSelect)
    risk_from_others = forms.ChoiceField(label="Risk from others", choices=RiskLevel.choices, widget=forms.RadioSelect)
    # A select on the form itself rather than a trip to the directory search: the clinician keeps
    # the note they are typing, and the list is narrowed to the referral's need when it can be.
    directory_service = forms.ModelChoiceField(
        label="Directory service to signpost to",
        queryset=Service.objects.none(),
        required=False,
        empty_label="Choose a service from the directory",
        help_text="Recorded as a directory signposting; type a service below only if it is not in the directory",
    )
    # Each outcome's own fields, shown under its radio only when it is chosen (issue 18).
    OUTCOME_FIELDS = {
        TriageDecision.Outcome.TRANSFER: ["transfer_to"],
        TriageDecision.Outcome.REFER_ON: ["referred_to"],
        TriageDecision.Outcome.SIGNPOST: ["directory_service", "signposted_to"],
    }

    class Meta:
        model = TriageDecision
        fields = [
            "priority",
            "risk_to_self",
            "risk_to_others",
            "risk_from_others",
            "safeguarding_concern",
            "lone_working_risk",
            "outcome",
            "transfer_to",
            "referred_to",
            "directory_service",
            "signposted_to",
            "clinical_note",
            "note_is_sensitive",
        ]
        widgets = {
            "priority": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            "clinical_note": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "clinical_note": "Clinical note",
            "safeguarding_concern": "Safeguarding concern",
            "lone_working_risk": "Lone-working risk (visits need two staff)",
            "transfer_to": "Duty queue to transfer to",
            "referred_to": "Service referred on to",
            "signposted_to": "Service signposted to, if not in the directory",
            "note_is_sensitive": "This note is sensitive (for example safeguarding): clinical staff only",
        }

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.queue_item = item
        if item and not self.is_bound:
            self.initial.setdefault("priority", item.urgency)  # as screened at intake or changed since
        queues = DutyQueue.objects.filter(is_active=True)
        self.fields["transfer_to"].queryset = queues.exclude(pk=item.queue_id) if item else queues
        self.fields["transfer_to"].empty_label = "Choose a duty queue"
        self.fields["directory_service"].queryset = _directory_choices(item)

    @property
    def outcome_field_names(self) -> list[str]:
        return [name for names in self.OUTCOME_FIELDS.values() for name in names]

    @property
    def chosen_outcome(self) -> str:
        return (self.data.get("outcome") if self.is_bound else self.initial.get("outcome")) or ""

    def outcome_options(self) -> list[tuple]:
        """Each outcome radio with its own fields: (radio, fields, chosen). The fields' block shows
        when its radio is ticked, by CSS alone (frontend/ccc.scss), so it works without JavaScript;
        not NHS.UK frontend's conditional reveal, which puts aria-expanded on a radio (not allowed)."""
        options = []
        for radio in self["outcome"].subwidgets:
            names = self.OUTCOME_FIELDS.get(radio.data["value"], [])
            options.append((radio, [self[name] for name in names], radio.data["value"] == self.chosen_outcome))
        return options

    def _post_clean(self) -> None:
        """The form only presents: what each outcome needs (TriageDecision.clean) and the signposting
        rule are the service's, and its errors come back onto these fields (ccc.web.form_call)."""

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


def _directory_choices(item):
    """Active directory services for the referral's need (its category code), else every active one."""
    active = Service.objects.filter(status=Service.Status.ACTIVE).order_by("name")
    code = item.referral.need.code if item else ""
    if code:
        for_need = active.filter(attributes__taxonomy_term__code=code).distinct()
        if for_need.exists():
            return for_need
    return active


class UrgencyChangeForm(NHSUKFormMixin, forms.Form):
    urgency = forms.ChoiceField(label="New urgency", choices=Priority.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label="Why are you changing it?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    # The urgency the clinician saw: if it changed meanwhile, the change is refused.
    expected_urgency = forms.ChoiceField(choices=Priority.choices, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item:
            self.initial.setdefault("expected_urgency", item.urgency)
        self.fields["urgency"].choices = [
            (value, f"{label}: {PRIORITY_MEANING[value]}") for value, label in Priority.choices if not item or value != item.urgency
        ]


class ReleaseForm(NHSUKFormMixin, forms.Form):
    reason = forms.CharField(label="Why are you releasing it?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(NHSUKFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="Why are you returning it?", choices=QueueItem.ReturnReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="What the referrer needs to know or add",
        help_text="The referrer reads this on their tracking page: say what to change to send it again",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ReassignForm(NHSUKFormMixin, forms.Form):
    to = forms.ModelChoiceField(label="Reassign to", queryset=User.objects.none())
    reason = forms.CharField(label="Reason", max_length=500)
    # Who the lead saw holding the item: if it changed meanwhile, the reassignment is refused.
    expected_holder = forms.ModelChoiceField(queryset=User.objects.all(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, queue: DutyQueue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = queue.clinicians.filter(is_active=True).order_by("last_name")


class RotaEntryForm(NHSUKFormMixin, forms.ModelForm):
    class Meta:
        model = RotaEntry
        fields = ["date", "shift", "clinician", "is_lead"]
        field_classes = {"date": UKDateField}

    def __init__(self, *args, queue: DutyQueue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = Shift.objects.all()
        self.fields["clinician"].queryset = queue.clinicians.filter(is_active=True).order_by("last_name")

    def validate_unique(self) -> None:
        pass  # the service updates an existing entry rather than refusing it

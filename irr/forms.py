import uuid
from datetime import timedelta

from django import forms
from django.utils import timezone

from ccc.dates import UKDateField, UKDateTimeField, typed
from ccc.forms import NHSUKFormMixin
from ccc.models import Organisation, User
from irr.models import MAX_PLANNED_LENGTH, Discipline, Episode, EpisodeMember, Visit
from irr.pairs import pairs_reasons
from irr.permissions import lead_professionals


class EpisodeOpenForm(NHSUKFormMixin, forms.Form):
    lead_professional = forms.ModelChoiceField(label="Lead professional", queryset=User.objects.none())
    lead_discipline = forms.ChoiceField(label="Lead professional's discipline", choices=Discipline.choices, widget=forms.RadioSelect)
    goals = forms.CharField(label="Goals", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    planned_end = UKDateField(label="Planned end date", example="soon", future=True)
    longer_plan_reason = forms.CharField(
        label="Reason for a plan longer than six weeks", required=False, max_length=500,
        help_text="Only if the planned end is more than six weeks away",
    )
    # The first member and first visit go in with the episode: who goes, and a second person when needed.
    first_member_name = forms.CharField(label="Second team member's name (optional)", required=False, max_length=200)
    first_member_discipline = forms.ChoiceField(
        label="Their discipline", choices=[("", "—"), *Discipline.choices], required=False
    )
    first_member_organisation = forms.ModelChoiceField(
        label="Their organisation", queryset=Organisation.objects.all(), required=False
    )

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        clinicians = lead_professionals(User.objects.all())
        self.fields["lead_professional"].queryset = clinicians.filter(team=team) if team else clinicians
        today = timezone.localdate()
        planned_end = self.fields["planned_end"]
        planned_end.initial = today + MAX_PLANNED_LENGTH - timedelta(days=7)
        planned_end.help_text = f"Within six weeks of today. For example, {typed(planned_end.initial)}"


class MemberForm(NHSUKFormMixin, forms.ModelForm):
    class Meta:
        model = EpisodeMember
        fields = ["name", "discipline", "organisation"]
        widgets = {"discipline": forms.RadioSelect}

    def validate_unique(self) -> None:
        pass  # the service says who is already on the episode


class VisitForm(NHSUKFormMixin, forms.Form):
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    kind = forms.ChoiceField(label="Kind of visit", choices=Visit.Kind.choices, widget=forms.RadioSelect)
    scheduled_for = UKDateTimeField(label="Date and time", example="soon")
    staff = forms.ModelMultipleChoiceField(
        label="Who goes", queryset=EpisodeMember.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, episode: Episode, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("submission_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        members = episode.members.select_related("organisation")
        self.fields["staff"].queryset = members
        # NHSUKFormMixin fixed the choices when the queryset was still empty: list the members again.
        self.fields["staff"].choices = [(member.pk, str(member)) for member in members]
        if pairs_reasons(episode):
            self.fields["staff"].help_text = "Visits in pairs: choose two (one may be a support worker)"


class VisitRecordForm(NHSUKFormMixin, forms.Form):
    outcome = forms.CharField(label="Outcome of the visit", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)


class EpisodeCloseForm(NHSUKFormMixin, forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=Episode.Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="Note", required=False, max_length=500, help_text="Needed when the outcome is Other")

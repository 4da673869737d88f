"""API shapes for IRR episodes and visits."""

from rest_framework import serializers

from ccc.models import Organisation, Team, User
from irr.models import Discipline, Episode, EpisodeMember, Visit
from triage.models import TriageDecision


class MemberSerializer(serializers.ModelSerializer):
    organisation = serializers.StringRelatedField()

    class Meta:
        model = EpisodeMember
        fields = ["id", "name", "discipline", "organisation"]
        read_only_fields = fields


class VisitSerializer(serializers.ModelSerializer):
    staff = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Visit
        fields = ["public_id", "kind", "scheduled_for", "staff", "status", "outcome", "recorded_at"]
        read_only_fields = fields


class EpisodeSerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient.public_id", read_only=True)
    team = serializers.StringRelatedField()
    lead_professional = serializers.SlugRelatedField(slug_field="username", read_only=True)
    source_decision = serializers.UUIDField(source="source_decision.public_id", read_only=True, allow_null=True)
    members = MemberSerializer(many=True, read_only=True)
    visits = VisitSerializer(many=True, read_only=True)
    # Blank until the episode closes: declared so the published enum says so (a read-only model field drops allow_blank).
    outcome = serializers.ChoiceField(choices=Episode.Outcome.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Episode
        fields = [
            "public_id", "patient", "team", "lead_professional", "source_decision", "source_discharge_note",
            "goals", "lone_working_risk", "opened_at", "planned_end", "longer_plan_reason", "status",
            "outcome", "outcome_note", "closed_at", "members", "visits",
        ]
        read_only_fields = fields


class EpisodeOpenSerializer(serializers.Serializer):
    source_decision = serializers.SlugRelatedField(slug_field="public_id", queryset=TriageDecision.objects.all())
    lead_professional = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    planned_end = serializers.DateField()
    goals = serializers.CharField()
    longer_plan_reason = serializers.CharField(required=False, allow_blank=True, default="")
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), required=False, allow_null=True, default=None)
    # The episode's first members, as the page asks for them (irr.services.episode_open says what is needed).
    lead_discipline = serializers.ChoiceField(
        choices=Discipline.choices, required=False, default="", help_text="The lead professional's discipline"
    )
    first_member_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    first_member_discipline = serializers.ChoiceField(
        choices=Discipline.choices, required=False, allow_blank=True, default=""
    )
    first_member_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )


class MemberCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    discipline = serializers.ChoiceField(choices=Discipline.choices)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())


class VisitCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Visit.Kind.choices)
    scheduled_for = serializers.DateTimeField()
    staff = serializers.PrimaryKeyRelatedField(many=True, queryset=EpisodeMember.objects.all())


class VisitRecordSerializer(serializers.Serializer):
    outcome = serializers.CharField()


class EpisodeCloseSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Episode.Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")

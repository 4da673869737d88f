"""API shapes for call-back requests. Rules stay in the services; these only parse and present."""

from rest_framework import serializers

from ccc.models import Team, User
from ccc.text import NOTE_MAX_LENGTH
from referrals.choices import move_choices
from referrals.models import CallBackRequest, Patient


class CallBackRequestSerializer(serializers.ModelSerializer):
    team = serializers.PrimaryKeyRelatedField(read_only=True)
    team_name = serializers.StringRelatedField(source="team")
    clinician = serializers.StringRelatedField(allow_null=True)
    patient = serializers.SlugRelatedField(slug_field="public_id", read_only=True, allow_null=True)
    contact = serializers.SlugRelatedField(slug_field="public_id", read_only=True, allow_null=True)
    requested_by = serializers.StringRelatedField()
    done_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = CallBackRequest
        fields = [
            "public_id", "kind", "caller_name", "caller_phone", "patient", "contact", "reason", "team", "team_name",
            "clinician", "urgency", "due_at", "requested_at", "requested_by", "status", "outcome_note", "done_at",
            "done_by", "last_escalation",
        ]
        read_only_fields = fields


class CallBackRequestCreateSerializer(serializers.Serializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())
    clinician = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True, default=None)
    caller_name = serializers.CharField(max_length=200)
    caller_phone = serializers.CharField(max_length=30)
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    urgency = serializers.ChoiceField(choices=CallBackRequest.Urgency.choices, default=CallBackRequest.Urgency.SOON)
    kind = serializers.ChoiceField(choices=CallBackRequest.Kind.choices, default=CallBackRequest.Kind.CALL_BACK)
    patient = serializers.SlugRelatedField(
        slug_field="public_id", queryset=Patient.objects.all(), required=False, allow_null=True, default=None,
        error_messages={"does_not_exist": "No patient with public_id {value}"},
    )


class CallBackRecordSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=move_choices(CallBackRequest))
    note = serializers.CharField(required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH, default="")

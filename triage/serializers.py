"""API shapes for duty queues, their items and triage decisions."""

from rest_framework import serializers

from ccc.models import User
from directory.models import Service
from referrals.models import Referral
from triage.models import DutyQueue, QueueItem, RedFlagQuestion, RiskLevel, TriageDecision


class QueueSerializer(serializers.ModelSerializer):
    # Annotated by selectors.queue_list, so the counts cost no extra queries.
    waiting_count = serializers.IntegerField(read_only=True)
    claimed_count = serializers.IntegerField(read_only=True)
    next_due_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="Soonest waiting item due")

    class Meta:
        model = DutyQueue
        fields = ["code", "name", "is_active", "triage_target_minutes", "waiting_count", "claimed_count", "next_due_at"]
        read_only_fields = fields


class QueueItemReferralSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    patient_name = serializers.CharField(source="patient.full_name", read_only=True)
    need = serializers.CharField(source="need.code", read_only=True)
    need_name = serializers.CharField(source="need.name", read_only=True)

    class Meta:
        model = Referral
        fields = ["public_id", "reference", "received_at", "patient_name", "need", "need_name"]
        read_only_fields = fields


class QueueItemSerializer(serializers.ModelSerializer):
    claimed_by = serializers.StringRelatedField(allow_null=True)
    referral = QueueItemReferralSerializer(read_only=True)

    class Meta:
        model = QueueItem
        fields = [
            "public_id", "status", "urgency", "urgency_reason", "routed_at", "due_at", "claimed_by", "claimed_at",
            "referral",
        ]
        read_only_fields = fields


class TriageDecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.StringRelatedField()
    clinical_note = serializers.SerializerMethodField(
        help_text="Null when the note is sensitive and you are not in a clinical role; each reading is logged"
    )
    transfer_to = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TriageDecision
        fields = [
            "public_id", "priority", "outcome", "clinical_note", "note_is_sensitive",
            "risk_to_self", "risk_to_others", "risk_from_others", "safeguarding_concern", "lone_working_risk",
            "transfer_to", "referred_to", "signposted_to",
            "decided_by", "decided_at", "respond_by", "first_response_at",
        ]
        read_only_fields = fields

    def get_clinical_note(self, decision: TriageDecision) -> str | None:
        # Read (and logged) by the view through selectors.sensitive_notes_read; a serializer never writes.
        # A decision the view did not read shows its note only when the note is not sensitive.
        if hasattr(decision, "visible_note"):
            return decision.visible_note
        return None if decision.note_is_sensitive else decision.clinical_note


class TriageDecisionCreateSerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=TriageDecision.Priority.choices)
    outcome = serializers.ChoiceField(choices=TriageDecision.Outcome.choices)
    clinical_note = serializers.CharField()
    note_is_sensitive = serializers.BooleanField(default=False)
    # The risk assessment is asked for every time: no level is assumed.
    risk_to_self = serializers.ChoiceField(choices=RiskLevel.choices)
    risk_to_others = serializers.ChoiceField(choices=RiskLevel.choices)
    risk_from_others = serializers.ChoiceField(choices=RiskLevel.choices)
    safeguarding_concern = serializers.BooleanField()
    lone_working_risk = serializers.BooleanField()
    transfer_to = serializers.SlugRelatedField(
        slug_field="code", queryset=DutyQueue.objects.filter(is_active=True), required=False, allow_null=True
    )
    referred_to = serializers.CharField(required=False, allow_blank=True, default="")
    signposted_to = serializers.CharField(required=False, allow_blank=True, default="")
    directory_service = serializers.PrimaryKeyRelatedField(
        queryset=Service.objects.filter(status=Service.Status.ACTIVE), required=False, allow_null=True, default=None,
        help_text="For signpost: the directory service's id; also records a directory signposting against the referral.",
    )


class RedFlagQuestionSerializer(serializers.ModelSerializer):
    need = serializers.CharField(source="need.code", read_only=True)

    class Meta:
        model = RedFlagQuestion
        fields = ["id", "need", "question", "urgency", "position"]
        read_only_fields = fields


class UrgencyChangeSerializer(serializers.Serializer):
    urgency = serializers.ChoiceField(
        choices=TriageDecision.Priority.choices,
        help_text="emergency: risk to life; very_urgent: 2-hour urgent community response; urgent: same day",
    )
    reason = serializers.CharField()
    expected_urgency = serializers.ChoiceField(
        choices=TriageDecision.Priority.choices, required=False, allow_null=True, default=None,
        help_text="The urgency you saw: if it changed meanwhile, you get 409",
    )


class ReleaseSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ReturnSerializer(serializers.Serializer):
    """Send a claimed referral back to its referrer: why, and what they need to know or add."""

    reason = serializers.ChoiceField(choices=QueueItem.ReturnReason.choices)
    note = serializers.CharField(max_length=10_000)


class ReassignSerializer(serializers.Serializer):
    to = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    reason = serializers.CharField()
    expected_holder = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), allow_null=True,
        help_text="Who you saw holding the item (null: it was waiting). If that changed, you get 409.",
    )

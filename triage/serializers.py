"""API shapes for duty queues, their items and triage decisions."""

from rest_framework import serializers

from referrals.models import Referral
from triage.models import DutyQueue, QueueItem, TriageDecision


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
        fields = ["public_id", "status", "routed_at", "due_at", "claimed_by", "claimed_at", "referral"]
        read_only_fields = fields


class TriageDecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = TriageDecision
        fields = ["public_id", "priority", "outcome", "clinical_note", "decided_by", "decided_at"]
        read_only_fields = fields


class TriageDecisionCreateSerializer(serializers.Serializer):
    priority = serializers.ChoiceField(choices=TriageDecision.Priority.choices)
    outcome = serializers.ChoiceField(choices=TriageDecision.Outcome.choices)
    clinical_note = serializers.CharField()

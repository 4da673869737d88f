"""API shapes for notifications and escalations."""

from rest_framework import serializers

from escalations.models import Escalation, Notification


class EscalationSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="clock.label", read_only=True)
    item_url = serializers.CharField(source="clock.url", read_only=True)
    clock_kind = serializers.CharField(source="clock.kind", read_only=True)
    queue = serializers.CharField(source="clock.queue.code", read_only=True, allow_null=True, default=None)
    due_at = serializers.DateTimeField(source="clock.due_at", read_only=True)
    acknowledged_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Escalation
        fields = [
            "public_id", "item", "item_url", "clock_kind", "queue", "due_at", "rung", "rung_name", "kind",
            "fired_at", "summary", "acknowledged_at", "acknowledged_by", "acknowledgement_note", "de_escalated_at",
        ]
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="What you are doing about it")


class NotificationSerializer(serializers.ModelSerializer):
    # None for a notice to administrators about a clock that cannot fire.
    escalation = serializers.UUIDField(source="escalation.public_id", read_only=True, allow_null=True)

    class Meta:
        model = Notification
        fields = ["public_id", "message", "url", "created_at", "read_at", "escalation"]
        read_only_fields = fields

"""API shapes for a patient's phones, next of kin and carers, communication needs and safety alerts.
Plain fields: the rules (phone numbers, review dates...) are the services'."""

from rest_framework import serializers

from referrals.models import CommunicationNeed, Patient, PatientPhone, PatientSupportPerson, SafetyAlert
from referrals.serializers import PatientSerializer


class PatientPhoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatientPhone
        fields = ["public_id", "number", "display", "kind", "call_first", "note"]
        read_only_fields = fields


class PatientSupportPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatientSupportPerson
        fields = ["public_id", "name", "relationship", "phone", "address", "is_next_of_kin", "is_carer"]
        read_only_fields = fields


class SafetyAlertSerializer(serializers.ModelSerializer):
    raised_by = serializers.StringRelatedField()

    class Meta:
        model = SafetyAlert
        fields = ["public_id", "category", "detail", "raised_by", "raised_at", "review_on", "ended_at", "end_reason"]
        read_only_fields = fields


class PatientDetailSerializer(PatientSerializer):
    """One patient with how to reach them, the people around them and the alerts in force."""

    phones = PatientPhoneSerializer(many=True, source="details.phones", read_only=True)
    support_people = PatientSupportPersonSerializer(many=True, source="details.support_people", read_only=True)
    safety_alerts = SafetyAlertSerializer(many=True, source="details.alerts", read_only=True)

    class Meta(PatientSerializer.Meta):
        fields = [
            *PatientSerializer.Meta.fields, "preferred_language", "interpreter_needed", "communication_needs",
            "communication_notes", "is_carer", "phones", "support_people", "safety_alerts",
        ]
        read_only_fields = fields


class CommunicationSerializer(serializers.Serializer):
    preferred_language = serializers.CharField(required=False, allow_blank=True, max_length=60, default="")
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    communication_needs = serializers.ListField(
        child=serializers.ChoiceField(choices=CommunicationNeed.choices), required=False, default=list
    )
    communication_notes = serializers.CharField(required=False, allow_blank=True, default="")
    is_carer = serializers.BooleanField(required=False, default=False)


class PhoneCreateSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=30)
    kind = serializers.ChoiceField(choices=PatientPhone.Kind.choices, default=PatientPhone.Kind.MOBILE)
    call_first = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class SupportPersonCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    relationship = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    is_next_of_kin = serializers.BooleanField(required=False, default=False)
    is_carer = serializers.BooleanField(required=False, default=False)


class SafetyAlertCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=SafetyAlert.Category.choices)
    detail = serializers.CharField(max_length=2000)
    review_on = serializers.DateField(help_text="YYYY-MM-DD, after today and within 12 months")


class SafetyAlertEndSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


def with_details(patient: Patient, details) -> Patient:
    """The patient with ``details`` (referrals.selectors.PatientDetails) attached for PatientDetailSerializer."""
    patient.details = details
    return patient

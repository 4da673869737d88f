"""API shapes for patients and referrals. Rules stay in the services; these only parse and present."""

from rest_framework import serializers

from ccc.models import Organisation
from ccc.nhs_number import validate_nhs_number
from ccc.postcodes import validate_postcode
from referrals.choices import move_choices
from referrals.models import FollowUpCall, NeedCategory, Patient, Referral, TimelineEvent, TransportBooking
from triage.models import Priority, QueueItem, RedFlagQuestion
from triage.serializers import TriageDecisionSerializer


class PatientSearchSerializer(serializers.Serializer):
    """Query parameters: an NHS number, or a name and/or date of birth."""

    nhs_number = serializers.CharField(
        required=False, allow_blank=True, max_length=20, validators=[validate_nhs_number], help_text="10 digits"
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="First, last or both")
    date_of_birth = serializers.DateField(required=False, help_text="YYYY-MM-DD")
    postcode = serializers.CharField(
        required=False, allow_blank=True, max_length=10, validators=[validate_postcode], help_text="A full UK postcode"
    )

    def validate(self, data: dict) -> dict:
        if not (data.get("nhs_number") or data.get("name") or data.get("date_of_birth") or data.get("postcode")):
            raise serializers.ValidationError("Give nhs_number, or name and date_of_birth, or postcode")
        return data


class PatientSerializer(serializers.ModelSerializer):
    gp_practice = serializers.SlugRelatedField(
        slug_field="ods_code", read_only=True, allow_null=True, help_text="ODS code of the registered GP practice"
    )
    gp_practice_display = serializers.CharField(source="gp_practice.name", read_only=True, allow_null=True)

    class Meta:
        model = Patient
        fields = [
            "public_id",
            "nhs_number",
            "nhs_number_display",
            "given_name",
            "family_name",
            "full_name",
            "date_of_birth",
            "address",
            "postcode",
            "gp_practice",
            "gp_practice_display",
            "gp_practice_name",
            "created_at",
        ]
        read_only_fields = fields


class PatientCreateSerializer(serializers.Serializer):
    # Plain fields: NHS number, age and date rules are checked by services.patient_create.
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField(help_text="YYYY-MM-DD")
    address = serializers.CharField(required=False, allow_blank=True, default="")
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10, default="")
    gp_practice = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.GP_PRACTICE).exclude(ods_code=""),
        required=False,
        allow_null=True,
        default=None,
        help_text="ODS code of the registered GP practice",
        error_messages={"does_not_exist": "No GP practice with ODS code “{value}” is on record"},
    )
    confirmed_different = serializers.BooleanField(
        required=False,
        default=False,
        help_text="True once you have checked that a patient with the same name, date of birth and postcode is not them",
    )


class PatientSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = ["public_id", "full_name", "nhs_number", "nhs_number_display", "date_of_birth"]
        read_only_fields = fields


class TimelineEventSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField(allow_null=True, help_text="Who did it; empty for the system")

    class Meta:
        model = TimelineEvent
        fields = ["kind", "summary", "occurred_at", "actor"]
        read_only_fields = fields


class ReferralSummarySerializer(serializers.ModelSerializer):
    """One row of a work list: everything here comes from the selector's select_related."""

    reference = serializers.CharField(read_only=True)
    patient = PatientSummarySerializer(read_only=True)
    need = serializers.CharField(source="need.code", read_only=True)
    need_name = serializers.CharField(source="need.name", read_only=True)
    queue = serializers.CharField(source="queue_item.queue.code", allow_null=True, read_only=True)
    queue_name = serializers.CharField(source="queue_item.queue.name", allow_null=True, read_only=True)
    status = serializers.ChoiceField(
        source="queue_item.status", choices=QueueItem.Status.choices, allow_null=True, read_only=True
    )
    claimed_by = serializers.StringRelatedField(source="queue_item.claimed_by", allow_null=True)
    allocated_team = serializers.StringRelatedField(allow_null=True, help_text="Community nursing locality team")

    class Meta:
        model = Referral
        fields = [
            "public_id",
            "reference",
            "received_at",
            "patient",
            "need",
            "need_name",
            "queue",
            "queue_name",
            "status",
            "claimed_by",
            "allocated_team",
            "allocation_warning",
        ]
        read_only_fields = fields


class ReferralDetailSerializer(ReferralSummarySerializer):
    received_by = serializers.StringRelatedField()
    queue_item = serializers.UUIDField(source="queue_item.public_id", allow_null=True, read_only=True)
    due_at = serializers.DateTimeField(source="queue_item.due_at", allow_null=True, read_only=True)
    claimed_at = serializers.DateTimeField(source="queue_item.claimed_at", allow_null=True, read_only=True)
    timeline = TimelineEventSerializer(many=True, read_only=True)
    decisions = TriageDecisionSerializer(source="queue_item.decisions", many=True, read_only=True)
    red_flags = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()), read_only=True,
        help_text="The red-flag questions answered yes at intake, as asked: question and urgency",
    )
    current_urgency = serializers.ChoiceField(
        source="queue_item.urgency", choices=Priority.choices, allow_null=True, read_only=True,
        help_text="As the queue orders it now: a clinician may have changed the urgency given at intake",
    )

    class Meta(ReferralSummarySerializer.Meta):
        fields = [
            *ReferralSummarySerializer.Meta.fields,
            "urgency",
            "red_flags",
            "emergency_advice_given",
            "current_urgency",
            "referrer_type",
            "referrer_name",
            "referrer_organisation",
            "referrer_phone",
            "channel",
            "reason",
            "needs_description",
            "received_by",
            "queue_item",
            "due_at",
            "claimed_at",
            "timeline",
            "decisions",
        ]
        read_only_fields = fields


class ReferralCreateSerializer(serializers.Serializer):
    patient = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Patient.objects.all(),
        help_text="The patient's public_id: find or create the patient first",
        error_messages={"does_not_exist": "No patient with public_id {value}: find or create the patient first"},
    )
    # Only needs offered to call handlers, as in the referral form.
    need = serializers.SlugRelatedField(
        slug_field="code",
        queryset=NeedCategory.objects.filter(is_active=True),
        help_text="A need category code",
        error_messages={"does_not_exist": "No need category with code “{value}” takes new referrals"},
    )
    referrer_type = serializers.ChoiceField(choices=Referral.ReferrerType.choices)
    referrer_name = serializers.CharField(max_length=200)
    referrer_organisation = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    referrer_phone = serializers.CharField(required=False, allow_blank=True, max_length=30, default="")
    reason = serializers.CharField()
    needs_description = serializers.CharField(required=False, allow_blank=True, default="")
    referring_practice = serializers.SlugRelatedField(
        slug_field="ods_code",
        queryset=Organisation.objects.filter(kind=Organisation.Kind.GP_PRACTICE),
        required=False,
        allow_null=True,
        default=None,
        help_text="The referring GP practice's ODS code, so the practice can track the referral",
        error_messages={"does_not_exist": "No GP practice with ODS code {value}"},
    )
    urgency = serializers.ChoiceField(
        choices=Priority.choices,
        required=False,
        default="",
        help_text="emergency (risk to life: needs emergency_advice_given), very_urgent (2-hour urgent community "
        "response), urgent (same day), routine. The most urgent of this and the red flags answered yes is used.",
        error_messages={"invalid_choice": "“{input}” is not an urgency: send one of " + ", ".join(Priority.values)},
    )
    red_flags = serializers.PrimaryKeyRelatedField(
        many=True,
        queryset=RedFlagQuestion.objects.filter(is_active=True),
        required=False,
        default=list,
        help_text="Ids of the need's red-flag questions answered yes (GET /api/v1/red-flag-questions/?need=code)",
    )
    emergency_advice_given = serializers.BooleanField(
        default=False, help_text="The caller was advised to dial 999 (required for emergency)"
    )

    def validate(self, data: dict) -> dict:
        # "priority" was once accepted and ignored: refused now, so nobody thinks it was recorded.
        if "priority" in self.initial_data:
            raise serializers.ValidationError(
                {"priority": "Not a field: send urgency (" + ", ".join(Priority.values) + ") and/or red_flags"}
            )
        return data


class TrackedPatientSerializer(serializers.ModelSerializer):
    """Only what identifies the referrer's own patient."""

    class Meta:
        model = Patient
        fields = ["full_name", "nhs_number", "date_of_birth"]
        read_only_fields = fields


class JourneyStepSerializer(serializers.Serializer):
    at = serializers.CharField(source="at_iso", read_only=True, help_text="A moment (ISO 8601), or a day for hospital steps")
    label = serializers.CharField(read_only=True)


class TrackedReferralSerializer(serializers.Serializer):
    """Tracking facts for a referrer: where the referral is and what happens next; nothing clinical."""

    public_id = serializers.UUIDField(read_only=True)
    reference = serializers.CharField(read_only=True)
    patient = TrackedPatientSerializer(read_only=True)
    received_at = serializers.DateTimeField(read_only=True)
    stage = serializers.ChoiceField(
        choices=[("queued", "Queued for triage"), ("being_triaged", "Being triaged"), ("triaged", "Triaged"),
                 ("withdrawn", "Cancelled"), ("returned", "Returned to you")],
        source="facts.stage",
        read_only=True,
    )
    stage_label = serializers.CharField(source="facts.stage_label", read_only=True)
    queue = serializers.CharField(source="facts.queue", read_only=True)
    team = serializers.CharField(source="facts.team", read_only=True)
    next_step = serializers.CharField(source="facts.next_step", read_only=True)
    triaged_at = serializers.DateTimeField(source="facts.triaged_at", allow_null=True, read_only=True)
    cancellable = serializers.BooleanField(
        source="facts.cancellable", read_only=True, help_text="Not yet triaged: you may still cancel it"
    )
    # After triage: IRR episode opened, first visit made, episode closed, admitted, discharged; oldest first.
    journey = JourneyStepSerializer(many=True, read_only=True)


class ReferralCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="Why you are cancelling it: kept with your name")


class ReferralSendSerializer(serializers.Serializer):
    """A GP practice's or ward's own referral: the patient by NHS number; the referrer is the account."""

    nhs_number = serializers.CharField(max_length=20, help_text="The patient's NHS number, 10 digits")
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10, default="")
    need = serializers.SlugRelatedField(
        slug_field="code",
        queryset=NeedCategory.objects.filter(is_active=True),
        help_text="A need category code",
        error_messages={"does_not_exist": "No need category with code “{value}” takes new referrals"},
    )
    reason = serializers.CharField()
    needs_description = serializers.CharField(required=False, allow_blank=True, default="")
    referrer_phone = serializers.CharField(
        required=False, allow_blank=True, max_length=30, default="", help_text="Where the duty clinician can reach you"
    )

    PATIENT_FIELDS = ("nhs_number", "given_name", "family_name", "date_of_birth", "postcode")


# Follow-up calls and patient transport ------------------------------------------------------

# Named in SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"], so each status set has its own schema name.
# What each transition table's moves lead to.
FOLLOW_UP_OUTCOMES = move_choices(FollowUpCall)
TRANSPORT_MOVES = move_choices(TransportBooking)


class FollowUpCallSerializer(serializers.ModelSerializer):
    patient = PatientSummarySerializer(read_only=True)
    outcome_by = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = FollowUpCall
        fields = [
            "public_id",
            "patient",
            "reason",
            "discharged_on",
            "day_after_discharge",
            "due_at",
            "attempt",
            "status",
            "outcome_note",
            "outcome_by",
            "outcome_at",
        ]
        read_only_fields = fields


class FollowUpCallCreateSerializer(serializers.Serializer):
    patient = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Patient.objects.all(),
        error_messages={"does_not_exist": "No patient with public_id {value}"},
    )
    due_at = serializers.DateTimeField()
    reason = serializers.CharField(max_length=2000)


class FollowUpOutcomeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=FOLLOW_UP_OUTCOMES)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class TransportBookingSerializer(serializers.ModelSerializer):
    patient = PatientSummarySerializer(read_only=True)
    status_changed_by = serializers.StringRelatedField()

    class Meta:
        model = TransportBooking
        fields = [
            "public_id",
            "patient",
            "pickup_from",
            "destination",
            "pickup_at",
            "mobility",
            "escort_needed",
            "notes",
            "status",
            "cancel_reason",
            "status_changed_by",
            "status_changed_at",
        ]
        read_only_fields = fields


class TransportBookingCreateSerializer(serializers.Serializer):
    patient = serializers.SlugRelatedField(
        slug_field="public_id",
        queryset=Patient.objects.all(),
        error_messages={"does_not_exist": "No patient with public_id {value}"},
    )
    pickup_from = serializers.CharField(max_length=500)
    destination = serializers.CharField(max_length=500)
    pickup_at = serializers.DateTimeField()
    mobility = serializers.ChoiceField(choices=TransportBooking.Mobility.choices)
    escort_needed = serializers.BooleanField(required=False, default=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class TransportTransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=TRANSPORT_MOVES)
    cancel_reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")

"""API shapes for Transfer of Care. Rules stay in the services; these only parse and present."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ccc.models import Organisation, User
from discharge.models import (
    Attribution,
    BedOccupancy,
    CapacityBooking,
    Delay,
    DelayReason,
    DelaySignOff,
    Partner,
    Pathway,
    PathwayService,
    RegisterEntry,
    ResidenceReview,
    TrustedAssessment,
    Ward,
)
from referrals.serializers import PatientSummarySerializer


class DelaySerializer(serializers.ModelSerializer):
    reason_code_set = serializers.CharField(source="reason.code_set", read_only=True)
    reason_code = serializers.CharField(source="reason.code", read_only=True)
    reason = serializers.CharField(source="reason.name", read_only=True)
    signed_off_by = serializers.SerializerMethodField()

    class Meta:
        model = Delay
        fields = [
            "public_id", "reason_code_set", "reason_code", "reason", "attribution", "starts_on", "ends_on", "note",
            "agreed_at", "signed_off_by",
        ]
        read_only_fields = fields

    def get_signed_off_by(self, delay: Delay) -> list[str]:
        return [sign_off.partner for sign_off in delay.sign_offs.all()]


class RegisterEntrySerializer(serializers.ModelSerializer):
    patient = PatientSummarySerializer(read_only=True)
    ward = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = serializers.CharField(source="owner.username", read_only=True, allow_null=True, default=None)
    # Annotated by the selectors: no extra query per row.
    delay_reason = serializers.CharField(read_only=True, allow_null=True)
    delay_attribution = serializers.CharField(read_only=True, allow_null=True)
    delay_since = serializers.DateField(read_only=True, allow_null=True)
    booked_service = serializers.CharField(read_only=True, allow_null=True)
    # Blank until the patient is discharged: declared so the published enum says so (read-only drops allow_blank).
    readmission_risk = serializers.ChoiceField(choices=RegisterEntry.ReadmissionRisk.choices, allow_blank=True, read_only=True)

    class Meta:
        model = RegisterEntry
        fields = [
            "public_id", "status", "patient", "ward", "admitted_on", "consultant", "source", "referred_on", "fit_on",
            "owner", "next_action", "next_action_due", "pathway", "plan_due_at", "plan_set_at", "delay_reason",
            "delay_attribution", "delay_since", "booked_service", "discharge_ready_on", "discharge_ready_reason",
            "expected_discharge_on", "discharged_on", "destination", "pathway_used", "readmission_risk",
        ]
        read_only_fields = fields


class ResidenceReviewSerializer(serializers.ModelSerializer):
    """A day's review of the criteria to reside, as recorded and as the page's form takes it."""

    reviewed_by = serializers.CharField(source="reviewed_by.username", read_only=True)
    not_met_since = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    class Meta:
        model = ResidenceReview
        fields = ["reviewed_on", "meets_criteria", "not_met_since", "note", "reviewed_by", "reviewed_at"]
        read_only_fields = ["reviewed_by", "reviewed_at"]
        validators = []  # one review a day is the service's rule (409 naming who reviewed first)


class DischargeDatesSerializer(serializers.Serializer):
    """Both dates together, as the page's form sends them: null clears one."""

    discharge_ready_on = serializers.DateField(allow_null=True)
    expected_discharge_on = serializers.DateField(allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class RegisterEntryDetailSerializer(RegisterEntrySerializer):
    delays = DelaySerializer(many=True, read_only=True)
    residence_reviews = ResidenceReviewSerializer(many=True, read_only=True)

    class Meta(RegisterEntrySerializer.Meta):
        fields = [*RegisterEntrySerializer.Meta.fields, "delays", "residence_reviews"]
        read_only_fields = fields


class RegisterFilterSerializer(serializers.Serializer):
    ward = serializers.SlugRelatedField(slug_field="code", queryset=Ward.objects.all(), required=False)
    pathway = serializers.ChoiceField(
        choices=[("none", "No pathway yet"), *((str(value), label) for value, label in Pathway.choices)], required=False
    )
    owner = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), required=False)
    workable = serializers.ChoiceField(choices=["yes", "waiting"], required=False)


class RegisterCreateSerializer(serializers.Serializer):
    nhs_number = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    given_name = serializers.CharField(max_length=100)
    family_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    ward = serializers.SlugRelatedField(slug_field="code", queryset=Ward.objects.filter(is_active=True))
    admitted_on = serializers.DateField()
    consultant = serializers.CharField(max_length=200)
    source = serializers.ChoiceField(choices=RegisterEntry.Source.choices)
    referred_on = serializers.DateField()
    fit_on = serializers.DateField(required=False, allow_null=True, default=None)
    # Any user by username: whether they may own the entry is the service's rule (400 on owner).
    owner = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False, allow_null=True, default=None
    )
    next_action = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    next_action_due = serializers.DateField(required=False, allow_null=True, default=None)
    confirmed_same_person = serializers.BooleanField(
        required=False, default=False,
        help_text="True to go on after a 409 identity_mismatch: the NHS number is right and this is the recorded person",
    )


class EntryUpdateSerializer(serializers.Serializer):
    """All four together, as the page's form sends them: null or blank clears one."""

    owner = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), allow_null=True)
    next_action = serializers.CharField(allow_blank=True, max_length=300)
    next_action_due = serializers.DateField(allow_null=True)
    fit_on = serializers.DateField(allow_null=True)


class DischargeSerializer(serializers.Serializer):
    discharged_on = serializers.DateField()
    destination = serializers.CharField(max_length=200)
    pathway_used = serializers.ChoiceField(choices=Pathway.choices)
    readmission_risk = serializers.ChoiceField(choices=RegisterEntry.ReadmissionRisk.choices)


class AssessmentCreateSerializer(serializers.Serializer):
    assessor_name = serializers.CharField(max_length=200)
    assessor_organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    assessed_on = serializers.DateField()
    summary = serializers.CharField()


class AssessmentSerializer(serializers.ModelSerializer):
    assessor_organisation = serializers.CharField(source="assessor_organisation.name", read_only=True)
    accepted_by_service = serializers.CharField(source="accepted_by_service.name", read_only=True, allow_null=True)

    class Meta:
        model = TrustedAssessment
        fields = ["assessor_name", "assessor_organisation", "assessed_on", "summary", "accepted_by_service", "accepted_at"]
        read_only_fields = fields


class DelayEndSerializer(serializers.Serializer):
    ends_on = serializers.DateField()


class PathwaySetSerializer(serializers.Serializer):
    pathway = serializers.ChoiceField(choices=Pathway.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReserveSerializer(serializers.Serializer):
    service = serializers.PrimaryKeyRelatedField(queryset=PathwayService.objects.all())


class BookingSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.name", read_only=True)

    class Meta:
        model = CapacityBooking
        fields = ["id", "service", "status", "reserved_at", "released_at"]
        read_only_fields = fields


class DelayCreateSerializer(serializers.Serializer):
    reason_code_set = serializers.ChoiceField(choices=DelayReason.CodeSet.choices)
    reason_code = serializers.CharField(max_length=40)
    attribution = serializers.ChoiceField(choices=Attribution.choices)
    starts_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, data: dict) -> dict:
        reason = DelayReason.objects.filter(code_set=data.pop("reason_code_set"), code=data.pop("reason_code")).first()
        if reason is None:
            raise serializers.ValidationError({"reason_code": ["No such reason in this code set"]})
        data["reason"] = reason
        return data


class SignOffSerializer(serializers.Serializer):
    partner = serializers.ChoiceField(choices=Partner.choices)


class SignOffResultSerializer(serializers.ModelSerializer):
    signed_by = serializers.CharField(source="signed_by.username", read_only=True)

    class Meta:
        model = DelaySignOff
        fields = ["partner", "signed_by", "signed_at"]
        read_only_fields = fields


class CapacitySerializer(serializers.ModelSerializer):
    occupied = serializers.IntegerField(read_only=True)
    reserved = serializers.IntegerField(read_only=True)
    free = serializers.IntegerField(read_only=True)

    class Meta:
        model = PathwayService
        fields = ["id", "name", "pathway", "unit", "capacity", "occupied", "reserved", "free"]
        read_only_fields = fields


class MonthQuerySerializer(serializers.Serializer):
    # Years a calendar has (0000-01 was a server error), published in the pattern so clients see the range.
    month = serializers.RegexField(
        r"^(19\d\d|2\d\d\d)-(0[1-9]|1[0-2])$",
        help_text="YYYY-MM, from 1900-01 to 2999-12",
        error_messages={"invalid": "Give a month as YYYY-MM, from 1900-01 to 2999-12"},
    )


# One month's figures, though the route is a list action: the schema must not call it an array.
@extend_schema_serializer(many=False)
class MonthlyFiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    delayed_days = serializers.IntegerField()
    occupied_bed_days = serializers.IntegerField()
    rate_percent = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    target_percent = serializers.DecimalField(max_digits=4, decimal_places=1)
    within_target = serializers.BooleanField(allow_null=True)
    by_attribution = serializers.ListField(child=serializers.DictField())
    by_reason = serializers.ListField(child=serializers.DictField())


class OccupancySerializer(serializers.ModelSerializer):
    """A ward's occupied beds at midnight of a day (``on``), as the page's form takes them."""

    ward = serializers.SlugRelatedField(slug_field="code", queryset=Ward.objects.filter(is_active=True))
    on = serializers.DateField(source="date")
    occupied_beds = serializers.IntegerField(min_value=0)

    class Meta:
        model = BedOccupancy
        fields = ["ward", "on", "occupied_beds"]
        # The service finds or corrects the day's row: not the model's unique-together check.
        validators = []


class OccupancyImportSerializer(serializers.Serializer):
    """The same CSV the page loads (``ward,date,occupied_beds``): as a file upload, or as text."""

    file = serializers.FileField(required=False)
    csv = serializers.CharField(required=False, trim_whitespace=False)

    def validate(self, data: dict) -> dict:
        if "file" in data:
            try:
                return {"text": data["file"].read().decode("utf-8-sig")}
            except UnicodeDecodeError:
                raise serializers.ValidationError({"file": ["The file is not a UTF-8 CSV file"]}) from None
        if "csv" in data:
            return {"text": data["csv"]}
        raise serializers.ValidationError({"file": ["Send the CSV as a file, or its text as csv"]})


class OccupancyImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


class PeriodQuerySerializer(serializers.Serializer):
    """A calendar month, or the week (Monday to Sunday) holding a day."""

    month = serializers.RegexField(
        r"^(19\d\d|2\d\d\d)-(0[1-9]|1[0-2])$", required=False, help_text="YYYY-MM",
        error_messages={"invalid": "Give a month as YYYY-MM, from 1900-01 to 2999-12"},
    )
    week = serializers.DateField(required=False, help_text="Any day of the week, YYYY-MM-DD")

    def validate(self, data: dict) -> dict:
        if ("month" in data) == ("week" in data):
            raise serializers.ValidationError({"month": ["Give either a month (YYYY-MM) or a week (a day, YYYY-MM-DD)"]})
        return data


class ReadinessGroupSerializer(serializers.Serializer):
    label = serializers.CharField()
    discharges = serializers.IntegerField()
    on_ready_date = serializers.IntegerField()
    average_days = serializers.FloatField(allow_null=True)
    bands = serializers.DictField(child=serializers.IntegerField())


class ReadinessDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    not_meeting_criteria = serializers.IntegerField()
    all_discharges = serializers.IntegerField()
    ready = ReadinessGroupSerializer()


class ReadinessFiguresSerializer(serializers.Serializer):
    first = serializers.DateField()
    last = serializers.DateField()
    average_not_meeting_criteria = serializers.FloatField(allow_null=True)
    all_discharges = serializers.IntegerField()
    ready = ReadinessGroupSerializer()
    by_pathway = ReadinessGroupSerializer(many=True)
    by_reason = ReadinessGroupSerializer(many=True)
    days = ReadinessDaySerializer(many=True)

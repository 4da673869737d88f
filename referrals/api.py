"""API for patients and referrals: parse, call one service or selector, present."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.access_log import Kind as AccessKind
from ccc.access_log import access_viewed
from ccc.api import SHOWING_FIRST, first_rows_response
from ccc.idempotency import request_fingerprint
from ccc.permissions import Action
from referrals import selectors, services
from referrals.api_patient_details import DETAIL_ACTIONS, PatientDetailsActions
from referrals.journey import journeys
from referrals.models import Referral
from referrals.serializers import (
    FollowUpCallCreateSerializer,
    FollowUpCallSerializer,
    FollowUpOutcomeSerializer,
    PatientCreateSerializer,
    PatientSearchSerializer,
    PatientSerializer,
    ReferralCancelSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralSendSerializer,
    ReferralSummarySerializer,
    TrackedReferralSerializer,
    TransportBookingCreateSerializer,
    TransportBookingSerializer,
    TransportTransitionSerializer,
)
from referrals.serializers_patient_details import PatientDetailSerializer, with_details
from referrals.tracking import tracking_facts
from triage import selectors as triage_selectors
from triage import services as triage_services

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "1 to 64 characters, new for each record. Sending the same key again with the same body returns "
        "the record the first request made (200) instead of recording it twice; the same key with a "
        "different body is refused (422)."
    ),
)
BAD_REQUEST = OpenApiResponse(description="Invalid input: the body names each field at fault")
CONFLICT = OpenApiResponse(description="The Idempotency-Key was already used by someone else")
IDENTITY_MISMATCH = OpenApiResponse(
    description=(
        "code identity_mismatch: the NHS number is recorded for a person whose name or date of birth differ. "
        "The body holds both (recorded_patient, given, differences); send confirmed_same_person true only "
        "once you have checked it is the same person"
    )
)
KEY_REUSED = OpenApiResponse(description="The Idempotency-Key already made a record from a different body")


def idempotency_key(request: Request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not 1 <= len(key) <= 64:
        raise serializers.ValidationError(
            {
                "Idempotency-Key": [
                    "Send an Idempotency-Key header of 1 to 64 characters, new for each referral, "
                    "so a repeated request cannot record the referral twice"
                ]
            }
        )
    return key


@extend_schema_view(
    list=extend_schema(
        summary="Find patients by NHS number, or by name and date of birth, or by postcode",
        parameters=[PatientSearchSerializer, SHOWING_FIRST],
        responses={200: PatientSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary="One patient, with phones, next of kin and carers, communication needs and safety alerts in force",
        responses=PatientDetailSerializer,
    ),
    create=extend_schema(
        summary="Record a new patient",
        request=PatientCreateSerializer,
        responses={201: PatientSerializer, 400: BAD_REQUEST, 409: IDENTITY_MISMATCH},
    ),
)
class PatientViewSet(PatientDetailsActions, viewsets.GenericViewSet):
    required_action = {
        "list": Action.PATIENT_VIEW, "retrieve": Action.PATIENT_VIEW, "create": Action.PATIENT_CREATE, **DETAIL_ACTIONS,
    }
    serializer_class = PatientSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    # The search returns at most 50 people: one page, no pagination.
    pagination_class = None

    def list(self, request: Request) -> Response:
        query = PatientSearchSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        patients = selectors.patient_find(**query.validated_data, fetched_by=request.user)
        return first_rows_response(patients, PatientSerializer(patients.rows, many=True).data)

    def retrieve(self, request: Request, public_id) -> Response:
        patient = selectors.patient_get(public_id=public_id, fetched_by=request.user)
        access_viewed(request, kind=AccessKind.PATIENT, record_id=patient.public_id, patient_id=patient.pk)
        details = selectors.patient_details(patient=patient, fetched_by=request.user)
        return Response(PatientDetailSerializer(with_details(patient, details)).data)

    def create(self, request: Request) -> Response:
        data = PatientCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patient = services.patient_create(actor=request.user, **data.validated_data)
        return Response(PatientSerializer(patient).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="Referrals you may see, newest first"),
    retrieve=extend_schema(summary="One referral with its timeline and triage decisions"),
    create=extend_schema(
        summary="Record a referral and route it to its duty queue",
        description="The channel is recorded as electronic.",
        parameters=[IDEMPOTENCY_KEY],
        request=ReferralCreateSerializer,
        responses={
            201: ReferralDetailSerializer,
            200: OpenApiResponse(ReferralDetailSerializer, description="Already recorded under this key"),
            400: BAD_REQUEST,
            409: CONFLICT,
            422: KEY_REUSED,
        },
    ),
)
class ReferralViewSet(viewsets.GenericViewSet):
    required_action = {
        "list": Action.REFERRAL_VIEW,
        "retrieve": Action.REFERRAL_VIEW,
        "create": Action.REFERRAL_CREATE,
    }
    serializer_class = ReferralDetailSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        return ReferralSummarySerializer if self.action == "list" else ReferralDetailSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.referral_list(fetched_by=request.user))
        return self.get_paginated_response(ReferralSummarySerializer(page, many=True).data)

    def retrieve(self, request: Request, public_id) -> Response:
        referral = selectors.referral_get(public_id=public_id, fetched_by=request.user)
        access_viewed(request, kind=AccessKind.REFERRAL, record_id=referral.public_id, patient_id=referral.patient_id)
        item = getattr(referral, "queue_item", None)
        if item is not None:  # sensitive notes read, and logged, here: the serializer only shows them
            triage_selectors.decisions_for_reader(item=item, fetched_by=request.user, channel="api")
        return Response(ReferralDetailSerializer(referral, context={"request": request}).data)

    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral, created = services.referral_create(
            actor=request.user,
            idempotency_key=key,
            request_fingerprint=request_fingerprint(data.validated_data),
            channel=Referral.Channel.ELECTRONIC,
            **data.validated_data,
        )
        return Response(
            ReferralDetailSerializer(referral, context={"request": request}).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


WRONG_STATE = OpenApiResponse(description="Someone else got there first, or the item is past this step: detail says which")


@extend_schema_view(
    list=extend_schema(
        summary="Follow-up calls due today or overdue, the one due soonest first (the work list)",
        responses=FollowUpCallSerializer(many=True),
    ),
    retrieve=extend_schema(summary="One follow-up call"),
    create=extend_schema(
        summary="Schedule one follow-up call by hand",
        parameters=[IDEMPOTENCY_KEY],
        request=FollowUpCallCreateSerializer,
        responses={201: FollowUpCallSerializer, 200: FollowUpCallSerializer, 400: BAD_REQUEST, 422: KEY_REUSED},
    ),
    outcome=extend_schema(
        summary="Record how a due call went; no answer schedules a retry",
        request=FollowUpOutcomeSerializer,
        responses={200: FollowUpCallSerializer, 400: BAD_REQUEST, 409: WRONG_STATE},
    ),
)
class FollowUpCallViewSet(viewsets.GenericViewSet):
    required_action = {
        "list": Action.FOLLOW_UP_CALL_VIEW,
        "retrieve": Action.FOLLOW_UP_CALL_VIEW,
        "create": Action.FOLLOW_UP_CALL_WORK,
        "outcome": Action.FOLLOW_UP_CALL_WORK,
    }
    serializer_class = FollowUpCallSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.follow_up_work_list(fetched_by=request.user))
        return self.get_paginated_response(FollowUpCallSerializer(page, many=True).data)

    def retrieve(self, request: Request, public_id) -> Response:
        call = selectors.follow_up_call_get(public_id=public_id, fetched_by=request.user)
        return Response(FollowUpCallSerializer(call).data)

    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = FollowUpCallCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call, created = services.follow_up_call_schedule(
            actor=request.user, idempotency_key=key, request_fingerprint=request_fingerprint(data.validated_data),
            **data.validated_data,
        )
        return Response(
            FollowUpCallSerializer(call).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, public_id) -> Response:
        call = selectors.follow_up_call_get(public_id=public_id, fetched_by=request.user)
        data = FollowUpOutcomeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call = services.follow_up_call_record_outcome(call=call, actor=request.user, **data.validated_data)
        return Response(FollowUpCallSerializer(call).data)


@extend_schema_view(
    list=extend_schema(summary="Today's and upcoming transport bookings, the soonest pick-up first"),
    retrieve=extend_schema(summary="One transport booking"),
    create=extend_schema(
        summary="Request transport for a patient",
        parameters=[IDEMPOTENCY_KEY],
        request=TransportBookingCreateSerializer,
        responses={
            201: TransportBookingSerializer, 200: TransportBookingSerializer, 400: BAD_REQUEST, 409: CONFLICT, 422: KEY_REUSED
        },
    ),
    transition=extend_schema(
        summary="Move a booking on: requested → booked → completed, or cancelled with a reason",
        request=TransportTransitionSerializer,
        responses={200: TransportBookingSerializer, 400: BAD_REQUEST, 409: WRONG_STATE},
    ),
)
class TransportBookingViewSet(viewsets.GenericViewSet):
    required_action = {
        "list": Action.TRANSPORT_VIEW,
        "retrieve": Action.TRANSPORT_VIEW,
        "create": Action.TRANSPORT_BOOK,
        "transition": Action.TRANSPORT_BOOK,
    }
    serializer_class = TransportBookingSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.transport_bookings_from_today(fetched_by=request.user))
        return self.get_paginated_response(TransportBookingSerializer(page, many=True).data)

    def retrieve(self, request: Request, public_id) -> Response:
        booking = selectors.transport_booking_get(public_id=public_id, fetched_by=request.user)
        return Response(TransportBookingSerializer(booking).data)

    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = TransportBookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking, created = services.transport_booking_create(
            actor=request.user, idempotency_key=key, request_fingerprint=request_fingerprint(data.validated_data),
            **data.validated_data,
        )
        return Response(
            TransportBookingSerializer(booking).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, public_id) -> Response:
        booking = selectors.transport_booking_get(public_id=public_id, fetched_by=request.user)
        data = TransportTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.transport_booking_move(
            booking=booking,
            actor=request.user,
            to=data.validated_data["status"],
            cancel_reason=data.validated_data["cancel_reason"],
        )
        return Response(TransportBookingSerializer(booking).data)


def _with_facts(referrals: list[Referral]) -> list[Referral]:
    steps = journeys(referrals)  # one query per app with steps, for the whole page
    for referral in referrals:
        referral.facts, referral.journey = tracking_facts(referral), steps[referral.pk]
    return referrals


@extend_schema_view(
    list=extend_schema(
        summary="Referrals your GP practice or ward made, newest first: where each one is",
        description="For referrers (a GP system with a referrer's token). Tracking facts only.",
    ),
    retrieve=extend_schema(summary="Where one of your referrals is and what happens next"),
    create=extend_schema(
        summary="Send a referral from your GP practice or ward",
        description=(
            "Routed like a phoned referral, channel electronic; the referrer is your account's practice or "
            "ward, so it appears in your tracked referrals. The patient is found by NHS number, or recorded."
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=ReferralSendSerializer,
        responses={
            201: TrackedReferralSerializer,
            200: OpenApiResponse(TrackedReferralSerializer, description="Already sent under this key"),
            400: BAD_REQUEST,
            422: KEY_REUSED,
        },
    ),
    cancel=extend_schema(
        summary="Cancel one of your referrals before triage, saying why: it leaves the duty queue",
        description="Sent again once cancelled, the same answer (200) and still one cancellation.",
        request=ReferralCancelSerializer,
        responses={
            200: TrackedReferralSerializer,
            400: BAD_REQUEST,
            404: OpenApiResponse(description="Not a referral of yours"),
            409: OpenApiResponse(description="Already triaged or returned to you: no longer yours to cancel"),
        },
    ),
)
class TrackedReferralViewSet(viewsets.GenericViewSet):
    required_action = {
        "list": Action.REFERRAL_TRACK,
        "retrieve": Action.REFERRAL_TRACK,
        "create": Action.REFERRAL_SEND,
        "cancel": Action.REFERRAL_CANCEL,
    }
    serializer_class = TrackedReferralSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.tracked_referral_list(fetched_by=request.user))
        return self.get_paginated_response(TrackedReferralSerializer(_with_facts(list(page)), many=True).data)

    def retrieve(self, request: Request, public_id) -> Response:
        referral = selectors.tracked_referral_get(public_id=public_id, fetched_by=request.user)
        return Response(TrackedReferralSerializer(_with_facts([referral])[0]).data)

    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = ReferralSendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        details = services.PatientDetails(**{name: fields.pop(name) for name in ReferralSendSerializer.PATIENT_FIELDS})
        referral, created = services.referral_send(
            actor=request.user,
            idempotency_key=key,
            request_fingerprint=request_fingerprint(data.validated_data),
            patient_details=details,
            **fields,
        )
        # Read back as the referrer's list shows it: the tracking facts.
        referral = selectors.tracked_referral_get(public_id=referral.public_id, fetched_by=request.user)
        return Response(
            TrackedReferralSerializer(_with_facts([referral])[0]).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, public_id) -> Response:
        referral = selectors.tracked_referral_get(public_id=public_id, fetched_by=request.user)
        self.check_object_permissions(request, referral)
        data = ReferralCancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        triage_services.referral_cancel(referral=referral, actor=request.user, **data.validated_data)
        referral = selectors.tracked_referral_get(public_id=public_id, fetched_by=request.user)
        return Response(TrackedReferralSerializer(_with_facts([referral])[0]).data)

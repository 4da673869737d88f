"""API for patients and referrals: parse, call one service or selector, present."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.permissions import Action
from referrals import selectors, services
from referrals.models import Referral
from referrals.serializers import (
    PatientCreateSerializer,
    PatientSearchSerializer,
    PatientSerializer,
    ReferralCreateSerializer,
    ReferralDetailSerializer,
    ReferralSummarySerializer,
)

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=(
        "1 to 64 characters, new for each referral. Sending the same key again returns the referral "
        "the first request made (200) instead of recording it twice."
    ),
)
BAD_REQUEST = OpenApiResponse(description="Invalid input: the body names each field at fault")
CONFLICT = OpenApiResponse(description="The Idempotency-Key was already used by someone else")


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
        summary="Find patients by NHS number, or by name and date of birth",
        parameters=[PatientSearchSerializer],
        responses={200: PatientSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(summary="One patient"),
    create=extend_schema(
        summary="Record a new patient",
        request=PatientCreateSerializer,
        responses={201: PatientSerializer, 400: BAD_REQUEST},
    ),
)
class PatientViewSet(viewsets.GenericViewSet):
    required_action = {"list": Action.PATIENT_VIEW, "retrieve": Action.PATIENT_VIEW, "create": Action.PATIENT_CREATE}
    serializer_class = PatientSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    # The search returns at most 50 people: one page, no pagination.
    pagination_class = None

    def list(self, request: Request) -> Response:
        query = PatientSearchSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        patients = selectors.patient_search(**query.validated_data)
        return Response(PatientSerializer(patients, many=True).data)

    def retrieve(self, request: Request, public_id) -> Response:
        return Response(PatientSerializer(selectors.patient_get(public_id=public_id)).data)

    def create(self, request: Request) -> Response:
        data = PatientCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        patient = services.patient_create(created_by=request.user, **data.validated_data)
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
        return Response(ReferralDetailSerializer(referral, context={"request": request}).data)

    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = ReferralCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral, created = services.referral_create(
            received_by=request.user,
            idempotency_key=key,
            channel=Referral.Channel.ELECTRONIC,
            **data.validated_data,
        )
        return Response(
            ReferralDetailSerializer(referral, context={"request": request}).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

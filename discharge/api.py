"""API for Transfer of Care: the register, pathways, reservations, delays, capacity and figures."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.permissions import Action
from discharge import selectors, services
from discharge.serializers import (
    BookingSerializer,
    CapacitySerializer,
    DelayCreateSerializer,
    DelaySerializer,
    MonthlyFiguresSerializer,
    MonthQuerySerializer,
    PathwaySetSerializer,
    RegisterCreateSerializer,
    RegisterEntryDetailSerializer,
    RegisterEntrySerializer,
    RegisterFilterSerializer,
    ReserveSerializer,
    SignOffResultSerializer,
    SignOffSerializer,
)
from referrals.api import BAD_REQUEST, IDEMPOTENCY_KEY, idempotency_key

CONFLICT = OpenApiResponse(description="Someone else got there first (the last bed), or the patient is past this step")


@extend_schema_view(
    list=extend_schema(summary="The daily board: patients on the register in hospital", parameters=[RegisterFilterSerializer]),
    retrieve=extend_schema(summary="One register entry with its delays"),
    create=extend_schema(
        summary="Register an inpatient (a known NHS number reuses the CCC's patient record)",
        parameters=[IDEMPOTENCY_KEY],
        request=RegisterCreateSerializer,
        responses={201: RegisterEntryDetailSerializer, 200: RegisterEntryDetailSerializer, 400: BAD_REQUEST},
    ),
    pathway=extend_schema(
        summary="Set or change the discharge pathway (a change needs a reason)",
        request=PathwaySetSerializer,
        responses={200: RegisterEntryDetailSerializer, 400: BAD_REQUEST, 409: CONFLICT},
    ),
    reserve=extend_schema(
        summary="Reserve a bed or slot of a service on the patient's pathway",
        request=ReserveSerializer,
        responses={201: BookingSerializer, 400: BAD_REQUEST, 409: CONFLICT},
    ),
    delays=extend_schema(
        summary="Record a delay (ends the open one, if any)",
        request=DelayCreateSerializer,
        responses={201: DelaySerializer, 400: BAD_REQUEST, 409: CONFLICT},
    ),
)
class RegisterViewSet(viewsets.GenericViewSet):
    required_action = {
        "list": Action.TOC_VIEW,
        "retrieve": Action.TOC_VIEW,
        "create": Action.TOC_WORK,
        "pathway": Action.TOC_WORK,
        "reserve": Action.TOC_WORK,
        "delays": Action.TOC_WORK,
    }
    serializer_class = RegisterEntrySerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def list(self, request: Request) -> Response:
        query = RegisterFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        entries = selectors.board(
            fetched_by=request.user,
            ward_id=getattr(filters.get("ward"), "pk", None),
            pathway=filters.get("pathway"),
            owner_id=getattr(filters.get("owner"), "pk", None),
            workable=filters.get("workable", ""),
        )
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(RegisterEntrySerializer(page, many=True).data)

    def _detail(self, request: Request, public_id, code: int = status.HTTP_200_OK) -> Response:
        entry = selectors.entry_get(public_id=public_id, fetched_by=request.user)
        return Response(RegisterEntryDetailSerializer(entry).data, status=code)

    def retrieve(self, request: Request, public_id) -> Response:
        return self._detail(request, public_id)

    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = RegisterCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry, created = services.entry_register(actor=request.user, idempotency_key=key, **data.validated_data)
        return self._detail(request, entry.public_id, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def pathway(self, request: Request, public_id) -> Response:
        entry = selectors.entry_get(public_id=public_id, fetched_by=request.user)
        data = PathwaySetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.pathway_set(entry=entry, actor=request.user, **data.validated_data)
        return self._detail(request, public_id)

    @action(detail=True, methods=["post"])
    def reserve(self, request: Request, public_id) -> Response:
        entry = selectors.entry_get(public_id=public_id, fetched_by=request.user)
        data = ReserveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.booking_reserve(entry=entry, actor=request.user, **data.validated_data)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def delays(self, request: Request, public_id) -> Response:
        entry = selectors.entry_get(public_id=public_id, fetched_by=request.user)
        data = DelayCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        delay = services.delay_record(entry=entry, actor=request.user, **data.validated_data)
        return Response(DelaySerializer(delay).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    sign_off=extend_schema(
        summary="Sign a delay off for your partner organisation",
        request=SignOffSerializer,
        responses={201: SignOffResultSerializer, 400: BAD_REQUEST, 409: CONFLICT},
    ),
)
class DelayViewSet(viewsets.GenericViewSet):
    required_action = {"sign_off": Action.TOC_DELAY_SIGN_OFF}
    serializer_class = DelaySerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request: Request, public_id) -> Response:
        delay = selectors.delay_get(public_id=public_id, fetched_by=request.user)
        data = SignOffSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sign_off = services.delay_sign_off(delay=delay, actor=request.user, **data.validated_data)
        return Response(SignOffResultSerializer(sign_off).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary="Each pathway service's beds or slots today: occupied, reserved, free"))
class CapacityViewSet(viewsets.GenericViewSet):
    required_action = {"list": Action.TOC_VIEW}
    serializer_class = CapacitySerializer
    pagination_class = None

    def list(self, request: Request) -> Response:
        return Response(CapacitySerializer(selectors.capacity_today(), many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="Delayed bed days and the delayed-transfer rate for a month, against the target",
        parameters=[MonthQuerySerializer],
        responses={200: MonthlyFiguresSerializer, 400: BAD_REQUEST},
    )
)
class FiguresViewSet(viewsets.GenericViewSet):
    required_action = {"list": Action.TOC_VIEW}
    serializer_class = MonthlyFiguresSerializer
    pagination_class = None

    def list(self, request: Request) -> Response:
        query = MonthQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year, month = (int(part) for part in query.validated_data["month"].split("-"))
        figures = selectors.delayed_transfer_figures(year=year, month=month)
        return Response(MonthlyFiguresSerializer(figures).data)

"""API for Transfer of Care: the register, pathways, reservations, delays, capacity and figures."""

from datetime import timedelta

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.access_log import Kind as AccessKind
from ccc.access_log import access_viewed
from ccc.idempotency import request_fingerprint
from ccc.permissions import Action
from discharge import selectors, services
from discharge.models import CapacityBooking, TrustedAssessment
from discharge.serializers import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    BookingSerializer,
    CapacitySerializer,
    DelayCreateSerializer,
    DelayEndSerializer,
    DelaySerializer,
    DischargeDatesSerializer,
    DischargeSerializer,
    EntryUpdateSerializer,
    MonthlyFiguresSerializer,
    MonthQuerySerializer,
    OccupancyImportResultSerializer,
    OccupancyImportSerializer,
    OccupancySerializer,
    PathwaySetSerializer,
    PeriodQuerySerializer,
    ReadinessFiguresSerializer,
    RegisterCreateSerializer,
    RegisterEntryDetailSerializer,
    RegisterEntrySerializer,
    RegisterFilterSerializer,
    ReserveSerializer,
    ResidenceReviewSerializer,
    SignOffResultSerializer,
    SignOffSerializer,
)
from referrals.api import BAD_REQUEST, IDEMPOTENCY_KEY, IDENTITY_MISMATCH, KEY_REUSED, idempotency_key

CONFLICT = OpenApiResponse(description="Someone else got there first (the last bed), or the patient is past this step")


def _post(summary: str, request, code: int, answer):
    """The schema of a write: its answer, a 400 naming the field, a 409 when someone got there first."""
    return extend_schema(summary=summary, request=request, responses={code: answer, 400: BAD_REQUEST, 409: CONFLICT})


def _entry_write(name: str, parser, service, present=None, code: int = status.HTTP_200_OK, url_path=None):
    """A POST on one register entry: parse the body with ``parser``, call
    ``service(entry=, actor=, **data)``, and answer with ``present(result)`` (the entry if None).
    Every write on an entry is one of these, so none does more than its page."""

    def view(self, request: Request, public_id) -> Response:
        entry = selectors.entry_get(public_id=public_id, fetched_by=request.user)
        data = parser(data=request.data)
        data.is_valid(raise_exception=True)
        result = service(entry=entry, actor=request.user, **data.validated_data)
        if present is None:
            return self._detail(request, public_id)
        return Response(present(result).data, status=code)

    view.__name__ = name  # the action's name: required_action and the schema are keyed by it
    return action(detail=True, methods=["post"], url_path=url_path)(view)


@extend_schema_view(
    list=extend_schema(summary="The daily board: patients on the register in hospital", parameters=[RegisterFilterSerializer]),
    retrieve=extend_schema(summary="One register entry with its delays"),
    create=extend_schema(
        summary="Register an inpatient (a known NHS number reuses the CCC's patient record)",
        parameters=[IDEMPOTENCY_KEY],
        request=RegisterCreateSerializer,
        responses={
            201: RegisterEntryDetailSerializer, 200: RegisterEntryDetailSerializer, 400: BAD_REQUEST, 422: KEY_REUSED,
            409: IDENTITY_MISMATCH
        },
    ),
    pathway=_post(
        "Set or change the discharge pathway (a change needs a reason)", PathwaySetSerializer, 200, RegisterEntryDetailSerializer
    ),
    reserve=_post(
        "Reserve a bed or slot of a service on the patient's pathway", ReserveSerializer, 201, BookingSerializer
    ),
    delays=_post("Record a delay (ends the open one, if any)", DelayCreateSerializer, 201, DelaySerializer),
    entry_update=_post(
        "Owner, next action and the date declared fit (a new fit date restarts the plan clock)", EntryUpdateSerializer, 200, RegisterEntryDetailSerializer
    ),
    release=extend_schema(
        summary="Give back the bed or slot held for the patient",
        request=None,
        responses={200: BookingSerializer, 404: OpenApiResponse(description="Nothing is held"), 409: CONFLICT},
    ),
    assessment=_post(
        "Record the patient's one trusted assessment", AssessmentCreateSerializer, 201, AssessmentSerializer
    ),
    assessment_accept=_post(
        "A service of the patient's pathway accepts the trusted assessment", ReserveSerializer, 200, AssessmentSerializer
    ),
    discharge=_post(
        "Record the discharge (a pathway 1 discharge opens an IRR episode)", DischargeSerializer, 200, RegisterEntryDetailSerializer
    ),
    reviews=_post(
        "Record a day's review of the criteria to reside (one a day; the latest sets the discharge ready date)",
        ResidenceReviewSerializer, 201, ResidenceReviewSerializer,
    ),
    discharge_dates=_post(
        "Set the discharge ready date by hand (a change needs a reason) and the expected discharge date",
        DischargeDatesSerializer, 200, RegisterEntryDetailSerializer,
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
        "entry_update": Action.TOC_WORK,
        "release": Action.TOC_WORK,
        "assessment": Action.TOC_WORK,
        "assessment_accept": Action.TOC_WORK,
        "discharge": Action.TOC_WORK,
        "reviews": Action.TOC_WORK,
        "discharge_dates": Action.TOC_WORK,
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
        entry = selectors.entry_get(public_id=public_id, fetched_by=request.user)
        access_viewed(request, kind=AccessKind.REGISTER_ENTRY, record_id=entry.public_id, patient_id=entry.patient_id)
        return Response(RegisterEntryDetailSerializer(entry).data)

    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = RegisterCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry, created = services.entry_register(
            actor=request.user, idempotency_key=key, request_fingerprint=request_fingerprint(data.validated_data),
            **data.validated_data,
        )
        return self._detail(request, entry.public_id, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    pathway = _entry_write("pathway", PathwaySetSerializer, services.pathway_set)
    reserve = _entry_write("reserve", ReserveSerializer, services.booking_reserve, BookingSerializer, status.HTTP_201_CREATED)
    delays = _entry_write("delays", DelayCreateSerializer, services.delay_record, DelaySerializer, status.HTTP_201_CREATED)
    entry_update = _entry_write("entry_update", EntryUpdateSerializer, services.entry_update, url_path="update")
    assessment = _entry_write(
        "assessment", AssessmentCreateSerializer, services.trusted_assessment_record, AssessmentSerializer,
        status.HTTP_201_CREATED,
    )
    assessment_accept = _entry_write(
        "assessment_accept", ReserveSerializer,
        lambda *, entry, actor, service: services.trusted_assessment_accept(
            assessment=get_object_or_404(TrustedAssessment, entry=entry), actor=actor, service=service
        ),
        AssessmentSerializer, url_path="assessment/accept",
    )
    discharge = _entry_write("discharge", DischargeSerializer, services.entry_discharge)
    reviews = _entry_write(
        "reviews", ResidenceReviewSerializer, services.residence_review_record, ResidenceReviewSerializer,
        status.HTTP_201_CREATED,
    )
    discharge_dates = _entry_write(
        "discharge_dates", DischargeDatesSerializer, services.discharge_dates_set, url_path="discharge-dates"
    )

    @action(detail=True, methods=["post"])
    def release(self, request: Request, public_id) -> Response:
        entry = selectors.entry_get(public_id=public_id, fetched_by=request.user)
        booking = get_object_or_404(entry.bookings.filter(status__in=CapacityBooking.HOLDING))
        return Response(BookingSerializer(services.booking_release(booking=booking, actor=request.user)).data)

@extend_schema_view(
    sign_off=_post("Sign a delay off for your partner organisation", SignOffSerializer, 201, SignOffResultSerializer),
    end=_post(
        "The delay's cause is resolved while the patient is still in hospital", DelayEndSerializer, 200, DelaySerializer
    ),
)
class DelayViewSet(viewsets.GenericViewSet):
    required_action = {"sign_off": Action.TOC_DELAY_SIGN_OFF, "end": Action.TOC_WORK}
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

    @action(detail=True, methods=["post"])
    def end(self, request: Request, public_id) -> Response:
        delay = selectors.delay_get(public_id=public_id, fetched_by=request.user)
        data = DelayEndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(DelaySerializer(services.delay_end(delay=delay, actor=request.user, **data.validated_data)).data)


@extend_schema_view(list=extend_schema(summary="Each pathway service's beds or slots today: occupied, reserved, free"))
class CapacityViewSet(viewsets.GenericViewSet):
    required_action = {"list": Action.TOC_VIEW}
    serializer_class = CapacitySerializer
    pagination_class = None

    def list(self, request: Request) -> Response:
        return Response(CapacitySerializer(selectors.capacity_today(), many=True).data)


@extend_schema_view(
    discharge_ready=extend_schema(
        summary="Discharge ready date figures of a month or a week (national definitions), in all, by pathway, "
        "by delay reason and day by day",
        parameters=[PeriodQuerySerializer],
        responses={200: ReadinessFiguresSerializer, 400: BAD_REQUEST},
    ),
    list=extend_schema(
        summary="Delayed bed days and the delayed-transfer rate for a month, against the target",
        parameters=[MonthQuerySerializer],
        responses={200: MonthlyFiguresSerializer, 400: BAD_REQUEST},
    )
)
class FiguresViewSet(viewsets.GenericViewSet):
    required_action = {"list": Action.TOC_VIEW, "discharge_ready": Action.TOC_VIEW}
    serializer_class = MonthlyFiguresSerializer
    pagination_class = None

    def list(self, request: Request) -> Response:
        query = MonthQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year, month = (int(part) for part in query.validated_data["month"].split("-"))
        figures = selectors.delayed_transfer_figures(year=year, month=month)
        return Response(MonthlyFiguresSerializer(figures).data)

    @action(detail=False, methods=["get"], url_path="discharge-ready")
    def discharge_ready(self, request: Request) -> Response:
        query = PeriodQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if "week" in query.validated_data:
            first, last = selectors.week_bounds(query.validated_data["week"])
        else:
            first, end = selectors.month_bounds(*(int(part) for part in query.validated_data["month"].split("-")))
            last = end - timedelta(days=1)
        return Response(ReadinessFiguresSerializer(selectors.discharge_ready_figures(first=first, last=last)).data)


@extend_schema_view(
    create=_post(
        "Enter or correct a ward's occupied beds at midnight of a day", OccupancySerializer, 200, OccupancySerializer
    ),
    load=_post(
        "Load a CSV of ward,date,occupied_beds: every line is checked and, if any is wrong, nothing is loaded",
        OccupancyImportSerializer, 200, OccupancyImportResultSerializer,
    ),
)
class OccupancyViewSet(viewsets.GenericViewSet):
    """Bed occupancy, the same two writes as the occupancy page, through the same services."""

    required_action = {"create": Action.TOC_OCCUPANCY_RECORD, "load": Action.TOC_OCCUPANCY_RECORD}
    serializer_class = OccupancySerializer
    pagination_class = None

    def create(self, request: Request) -> Response:
        data = OccupancySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        figure = services.occupancy_record(
            ward=values["ward"], on=values["date"], occupied_beds=values["occupied_beds"], actor=request.user
        )
        return Response(OccupancySerializer(figure).data)

    @action(detail=False, methods=["post"], url_path="import")
    def load(self, request: Request) -> Response:
        data = OccupancyImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.occupancy_import(text=data.validated_data["text"], actor=request.user)
        return Response(OccupancyImportResultSerializer(result).data)

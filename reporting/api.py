"""Data out through the API: referrals as FHIR ServiceRequests, the joint data set as JSON, and live capacity."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccc.access_log import Kind as AccessKind
from ccc.access_log import access_exported, access_viewed
from ccc.pagination import MAX_OFFSET, bounded_int
from ccc.permissions import Action
from ccc.reporting import PeriodKind
from referrals.selectors import referral_list
from reporting import capacity, fhir, joint, selectors
from reporting.forms import PeriodForm

DEFAULT_COUNT, MOST_COUNT = 20, 100


class FHIRJSONRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class FHIRContentNegotiation(BaseContentNegotiation):
    """FHIR JSON whatever the client asks for: it is the only format these endpoints speak."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _nhs_number_search(value: str) -> str:
    system, _, number = value.rpartition("|")
    if system != fhir.NHS_NUMBER_SYSTEM or not number.isdigit():
        raise exceptions.ValidationError(f"subject:identifier must be {fhir.NHS_NUMBER_SYSTEM}|<10 digits>")
    return number


@extend_schema(tags=["fhir"])
class ServiceRequestViewSet(viewsets.GenericViewSet):
    """Referrals as HL7 FHIR R4 ServiceRequests (UK Core shape), scoped as the referral API is."""

    required_action = Action.REFERRAL_VIEW
    renderer_classes = [FHIRJSONRenderer]
    content_negotiation_class = FHIRContentNegotiation
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    pagination_class = None

    def _referrals(self):
        return referral_list(fetched_by=self.request.user).prefetch_related("queue_item__decisions")

    @extend_schema(
        operation_id="fhir_servicerequest_search",
        summary="Search referrals as a FHIR searchset Bundle, newest first",
        parameters=[
            OpenApiParameter(
                "subject:identifier", OpenApiTypes.STR, description=f"{fhir.NHS_NUMBER_SYSTEM}|<NHS number>"
            ),
            OpenApiParameter("_count", OpenApiTypes.INT, description=f"Entries per page, 1 to {MOST_COUNT}"),
            OpenApiParameter("_offset", OpenApiTypes.INT, description=f"Entries to skip (follow the next link), 0 to {MAX_OFFSET}"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        referrals = self._referrals()
        identifier = request.query_params.get("subject:identifier")
        if identifier:
            referrals = referrals.filter(patient__nhs_number=_nhs_number_search(identifier))
        count = bounded_int(request.query_params, "_count", default=DEFAULT_COUNT, least=1, most=MOST_COUNT)
        offset = bounded_int(request.query_params, "_offset", default=0, least=0, most=MAX_OFFSET)
        total = referrals.count()
        page = list(referrals[offset : offset + count])
        access_exported(request, what="FHIR ServiceRequest search", rows=len(page))
        base = request.build_absolute_uri(request.path)
        params = request.query_params.copy()
        params["_count"], params["_offset"] = str(count), str(offset + count)
        bundle = fhir.search_bundle(
            referrals=page,
            total=total,
            self_url=request.build_absolute_uri(),
            next_url=f"{base}?{params.urlencode()}" if offset + count < total else None,
            base_url=base,
        )
        return Response(bundle)

    @extend_schema(
        operation_id="fhir_servicerequest_read",
        summary="One referral as a FHIR ServiceRequest",
        responses={200: OpenApiTypes.OBJECT},
    )
    def retrieve(self, request: Request, public_id) -> Response:
        referral = get_object_or_404(self._referrals(), public_id=public_id)
        access_viewed(request, kind=AccessKind.REFERRAL, record_id=referral.public_id, patient_id=referral.patient_id)
        return Response(fhir.service_request(referral))

    def handle_exception(self, exc):
        """Errors as FHIR OperationOutcomes, with the usual status codes."""
        response = super().handle_exception(exc)
        if isinstance(exc, Http404 | exceptions.NotFound):
            code = "not-found"
        elif isinstance(exc, exceptions.ValidationError):
            code = "invalid"
        elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            code = "login"
        elif isinstance(exc, exceptions.PermissionDenied):
            code = "forbidden"
        else:
            code = "exception"
        response.data = fhir.operation_outcome(code, "; ".join(_messages(response.data)))
        return response


def _messages(data) -> list[str]:
    """Every message in a DRF error body ("detail", a list, or a message per field), in order."""
    if isinstance(data, dict):
        return [message for value in data.values() for message in _messages(value)]
    if isinstance(data, list):
        return [message for value in data for message in _messages(value)]
    return [str(data)]


class JointDataSetQuery(serializers.Serializer):
    period = serializers.ChoiceField(choices=[kind.value for kind in PeriodKind], default=PeriodKind.WEEK.value)
    date = serializers.DateField(required=False, help_text="A day in the period (default today), or the first day")
    end = serializers.DateField(required=False, help_text="The last day, for period=custom")
    scope = serializers.CharField(
        required=False, help_text="organisation-<id> or team-<id>; managers and administrators"
    )


@extend_schema(tags=["joint data set"])
class JointDataSetViewSet(viewsets.GenericViewSet):
    """The joint data set as JSON: the same rows and fields as the CSV (docs/JOINT_DATA_SET.md)."""

    required_action = Action.DASHBOARD_VIEW

    @extend_schema(
        summary="The joint data set for a period: one row per referral received, with its triage",
        parameters=[JointDataSetQuery],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        form = PeriodForm(request.query_params, scope_choices=selectors.scope_choices(fetched_by=request.user))
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        period = form.period_value
        scope = selectors.report_scope(fetched_by=request.user, choice=form.cleaned_data.get("scope") or "")
        page = self.paginate_queryset(joint.joint_data_set_rows(period=period, scope=scope))
        access_exported(request, what="joint data set API", rows=len(page))
        response = self.get_paginated_response(joint.as_rows(page))
        response.data = {
            "period": {"first": period.first, "last": period.last},
            "scope": scope.label,
            "fields": list(joint.FIELDS),
            **response.data,
        }
        return response


class TeamLoadSerializer(serializers.Serializer):
    team = serializers.CharField(source="team.name")
    open_episodes = serializers.IntegerField()
    open_episodes_limit = serializers.IntegerField(allow_null=True)
    visits_today = serializers.IntegerField()
    visits_per_day_limit = serializers.IntegerField(allow_null=True)
    is_full = serializers.BooleanField()


class PlacesSerializer(serializers.Serializer):
    service = serializers.CharField(source="name")
    pathway = serializers.IntegerField()
    pathway_label = serializers.CharField(source="get_pathway_display")
    unit = serializers.CharField()
    capacity = serializers.IntegerField()
    occupied = serializers.IntegerField()
    reserved = serializers.IntegerField()
    free = serializers.IntegerField()


class QueueWaitSerializer(serializers.Serializer):
    queue = serializers.CharField()
    waiting = serializers.IntegerField()
    in_triage = serializers.IntegerField()
    overdue = serializers.IntegerField()
    longest_wait_minutes = serializers.IntegerField(allow_null=True)


class LiveCapacitySerializer(serializers.Serializer):
    irr_teams = TeamLoadSerializer(many=True)
    places = PlacesSerializer(many=True)
    duty_queues = QueueWaitSerializer(many=True)


class LiveCapacityView(APIView):
    required_action = Action.CAPACITY_VIEW

    @extend_schema(
        operation_id="capacity_retrieve",
        summary="Live capacity: IRR teams' load, beds and care slots free, duty queues' waits (figures, no patients)",
        responses={200: LiveCapacitySerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(LiveCapacitySerializer(capacity.live_capacity(fetched_by=request.user)).data)

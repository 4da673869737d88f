"""Referrals as FHIR ServiceRequests and their patients as FHIR Patients over the API, and what every
FHIR endpoint shares: FHIR JSON in and out, errors (500 too) as OperationOutcomes, and the
``X-Request-ID`` / ``X-Correlation-ID`` headers echoed."""

import logging

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.access_log import Kind as AccessKind
from ccc.access_log import access_exported, access_viewed
from ccc.pagination import MAX_OFFSET, bounded_int
from ccc.permissions import Action
from referrals.selectors import referral_list, referred_patient_get
from reporting import fhir

logger = logging.getLogger(__name__)
DEFAULT_COUNT, MOST_COUNT = 20, 100
ECHOED_HEADERS = ("X-Request-ID", "X-Correlation-ID")
# http://hl7.org/fhir/issue-type for each status an endpoint answers with.
ISSUE_CODES = {
    status.HTTP_400_BAD_REQUEST: "invalid",
    status.HTTP_401_UNAUTHORIZED: "login",
    status.HTTP_403_FORBIDDEN: "forbidden",
    status.HTTP_404_NOT_FOUND: "not-found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "not-supported",
    status.HTTP_409_CONFLICT: "conflict",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "not-supported",
    status.HTTP_422_UNPROCESSABLE_ENTITY: "invalid",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}


class FHIRJSONRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class FHIRJSONParser(JSONParser):
    media_type = "application/fhir+json"


class FHIRContentNegotiation(BaseContentNegotiation):
    """FHIR JSON whatever the client asks for: it is the only format these endpoints speak."""

    def select_parser(self, request, parsers):
        content_type = request.content_type.split(";")[0].strip()
        return next((parser for parser in parsers if parser.media_type == content_type), None)

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _messages(data) -> list[str]:
    """Every message in a DRF error body ("detail", a list, or a message per field), in order."""
    if isinstance(data, dict):
        return [message for value in data.values() for message in _messages(value)]
    if isinstance(data, list):
        return [message for value in data for message in _messages(value)]
    return [str(data)]


class FHIREndpoint:
    """Mixed into every FHIR view: FHIR JSON, OperationOutcome errors, the trace headers echoed."""

    renderer_classes = [FHIRJSONRenderer]
    parser_classes = [FHIRJSONParser, JSONParser]
    content_negotiation_class = FHIRContentNegotiation

    def handle_exception(self, exc):
        """Errors as FHIR OperationOutcomes with the usual status codes; an unexpected one as a 500 too."""
        try:
            response = super().handle_exception(exc)
        except Exception:
            logger.exception("FHIR endpoint failed")
            return Response(
                fhir.operation_outcome("exception", "Something went wrong on our side: try again later"),
                status=status.HTTP_500_INTERNAL_SERVER_ERROR,
            )
        code = ISSUE_CODES.get(response.status_code, "exception")
        if not (isinstance(response.data, dict) and response.data.get("resourceType") == "OperationOutcome"):
            response.data = fhir.operation_outcome(code, "; ".join(_messages(response.data)))
        return response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for header in ECHOED_HEADERS:
            value = request.headers.get(header, "")
            if value and value.isprintable():
                response[header] = value[:200]
        return response


def _nhs_number_search(value: str) -> str:
    system, _, number = value.rpartition("|")
    if system != fhir.NHS_NUMBER_SYSTEM or not number.isdigit():
        raise exceptions.ValidationError(f"subject:identifier must be {fhir.NHS_NUMBER_SYSTEM}|<10 digits>")
    return number


@extend_schema(tags=["fhir"])
class ServiceRequestViewSet(FHIREndpoint, viewsets.GenericViewSet):
    """Referrals as HL7 FHIR R4 ServiceRequests (UK Core), scoped as the referral API is."""

    required_action = Action.REFERRAL_VIEW
    lookup_field = "public_id"
    lookup_value_converter = "uuid"
    pagination_class = None

    def _referrals(self):
        return referral_list(fetched_by=self.request.user).select_related("patient__gp_practice").prefetch_related(
            "queue_item__decisions"
        )

    @extend_schema(
        operation_id="fhir_servicerequest_search",
        summary="Search referrals as a FHIR searchset Bundle, newest first, each patient included",
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
            patient_base_url=request.build_absolute_uri("/api/v1/fhir/Patient/"),
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


@extend_schema(tags=["fhir"])
class PatientViewSet(FHIREndpoint, viewsets.GenericViewSet):
    """The patient of a referral you may see, as a UK Core Patient."""

    required_action = Action.REFERRAL_VIEW
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    @extend_schema(operation_id="fhir_patient_read", summary="One referred patient as a FHIR Patient",
                   responses={200: OpenApiTypes.OBJECT})
    def retrieve(self, request: Request, public_id) -> Response:
        patient = referred_patient_get(public_id=public_id, fetched_by=request.user)
        access_viewed(request, kind=AccessKind.PATIENT, record_id=patient.public_id, patient_id=patient.pk)
        return Response(fhir.patient_resource(patient))

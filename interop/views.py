"""The FHIR R4 endpoints a referrer's system talks to (BaRS style): send a message, read back the
ServiceRequest and its Patient. Parse, call the service or selector, present as FHIR."""

import uuid

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccc.permissions import Action, require
from interop import services
from interop.messages import CANCEL, InvalidMessage, referral_message
from referrals import selectors as referral_selectors
from reporting import fhir
from reporting.fhir_api import FHIREndpoint

TRACE_HEADERS = [
    OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.HEADER, description="Echoed in the response")
    for name in ("X-Request-ID", "X-Correlation-ID")
]


def _tracked(request: Request, public_id):
    """The sender's own referral with what its ServiceRequest shows; 404 for anyone else's."""
    return referral_selectors.tracked_referral_get(public_id=public_id, fetched_by=request.user)


@extend_schema(tags=["fhir"])
class ProcessMessageView(FHIREndpoint, APIView):
    """``$process-message``: a referral (or its cancellation) as a FHIR message Bundle."""

    required_action = Action.REFERRAL_SEND

    @extend_schema(
        operation_id="fhir_process_message",
        summary="Send a referral, or cancel one, as a BaRS-style FHIR message Bundle",
        description="docs/FHIR.md. 400 invalid message, 403 not your ODS code, 409 already processed.",
        parameters=TRACE_HEADERS,
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        try:
            message = referral_message(request.data)
        except InvalidMessage as error:
            outcome = fhir.operation_outcome("invalid", error.issues[0])
            outcome["issue"] += [{"severity": "error", "code": "invalid", "diagnostics": text} for text in error.issues[1:]]
            return Response(outcome, status=400)
        if message.status == CANCEL:  # the referral it names is looked up among the sender's own
            require(request.user, Action.REFERRAL_CANCEL)
        _, referral = services.received_message_process(
            actor=request.user,
            message=message,
            request_id=request.headers.get("X-Request-ID", ""),
            correlation_id=request.headers.get("X-Correlation-ID", ""),
        )
        referral = _tracked(request, referral.public_id)
        return Response(
            fhir.message_response(
                request_header_id=message.header_id,
                response_id=str(uuid.uuid4()),
                referral=referral,
                endpoint=request.build_absolute_uri(),
                full_url=request.build_absolute_uri(f"/fhir/R4/ServiceRequest/{referral.public_id}"),
            )
        )


@extend_schema(tags=["fhir"])
class ServiceRequestReadView(FHIREndpoint, APIView):
    required_action = Action.REFERRAL_TRACK

    @extend_schema(operation_id="fhir_r4_servicerequest_read", summary="Your referral's progress as a ServiceRequest",
                   parameters=TRACE_HEADERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, public_id) -> Response:
        return Response(fhir.service_request(_tracked(request, public_id)))


@extend_schema(tags=["fhir"])
class PatientReadView(FHIREndpoint, APIView):
    required_action = Action.REFERRAL_TRACK

    @extend_schema(operation_id="fhir_r4_patient_read", summary="The patient of one of your referrals",
                   parameters=TRACE_HEADERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, public_id) -> Response:
        return Response(
            fhir.patient_resource(referral_selectors.referred_patient_get(public_id=public_id, fetched_by=request.user))
        )

"""The patients API's writes to a patient's details and alerts: the same services the pages call."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.permissions import Action
from referrals import selectors, services
from referrals.models import SafetyAlert
from referrals.serializers_patient_details import (
    CommunicationSerializer,
    PatientDetailSerializer,
    PatientPhoneSerializer,
    PatientSupportPersonSerializer,
    PhoneCreateSerializer,
    SafetyAlertCreateSerializer,
    SafetyAlertEndSerializer,
    SafetyAlertSerializer,
    SupportPersonCreateSerializer,
    with_details,
)

_BAD = OpenApiResponse(description="Invalid input: the body names each field at fault")
_RACE = OpenApiResponse(description="Someone else changed it first: detail says what happened")

DETAIL_ACTIONS = {
    "communication": Action.PATIENT_DETAILS_EDIT,
    "phones": Action.PATIENT_DETAILS_EDIT,
    "people": Action.PATIENT_DETAILS_EDIT,
    "alerts": Action.PATIENT_DETAILS_EDIT,
    "end_alert": Action.PATIENT_DETAILS_EDIT,
}


class PatientDetailsActions:
    """Mixed into the patients viewset: ``/patients/{id}/communication/``, ``phones/``, ``people/``,
    ``alerts/`` and ``alerts/{alert_id}/end/``."""

    def _patient(self, request: Request, public_id):
        return selectors.patient_for_details(public_id=public_id, fetched_by=request.user)

    def _write(self, request: Request, public_id, parser, call, shown, code=status.HTTP_201_CREATED) -> Response:
        patient = self._patient(request, public_id)
        data = parser(data=request.data)
        data.is_valid(raise_exception=True)
        made = call(patient, data.validated_data)
        return Response(shown(made).data, status=code)

    def _add(self, request: Request, public_id, parser, add, shown) -> Response:
        """Add one row to the patient through ``add(actor, patient, **body)`` (its service): 201."""
        return self._write(request, public_id, parser,
                           lambda patient, data: add(actor=request.user, patient=patient, **data), shown)

    @extend_schema(summary="Set language, interpreter, communication needs and whether the patient is a carer",
                   request=CommunicationSerializer, responses={200: PatientDetailSerializer, 400: _BAD})
    @action(detail=True, methods=["post"])
    def communication(self, request: Request, public_id) -> Response:
        def update(patient, data):
            updated = services.patient_details_update(actor=request.user, patient=patient, **data)
            return with_details(updated, selectors.patient_details(patient=updated, fetched_by=request.user))

        return self._write(request, public_id, CommunicationSerializer, update, PatientDetailSerializer, status.HTTP_200_OK)

    @extend_schema(summary="Add a phone number (the first, or one marked call_first, is the one to dial first)",
                   request=PhoneCreateSerializer, responses={201: PatientPhoneSerializer, 400: _BAD, 409: _RACE})
    @action(detail=True, methods=["post"])
    def phones(self, request: Request, public_id) -> Response:
        return self._add(request, public_id, PhoneCreateSerializer, services.patient_phone_add, PatientPhoneSerializer)

    @extend_schema(summary="Add next of kin or a carer", request=SupportPersonCreateSerializer,
                   responses={201: PatientSupportPersonSerializer, 400: _BAD})
    @action(detail=True, methods=["post"])
    def people(self, request: Request, public_id) -> Response:
        return self._add(request, public_id, SupportPersonCreateSerializer, services.patient_support_person_add,
                         PatientSupportPersonSerializer)

    @extend_schema(summary="Raise a safety alert", request=SafetyAlertCreateSerializer,
                   responses={201: SafetyAlertSerializer, 400: _BAD})
    @action(detail=True, methods=["post"])
    def alerts(self, request: Request, public_id) -> Response:
        return self._add(request, public_id, SafetyAlertCreateSerializer, services.safety_alert_raise, SafetyAlertSerializer)

    @extend_schema(summary="End a safety alert that no longer applies (it stays on record)",
                   request=SafetyAlertEndSerializer, responses={200: SafetyAlertSerializer, 400: _BAD, 409: _RACE})
    @action(detail=True, methods=["post"], url_path="alerts/<uuid:alert_id>/end", url_name="end-alert")
    def end_alert(self, request: Request, public_id, alert_id) -> Response:
        def end(patient, data):
            alert = get_object_or_404(SafetyAlert, patient=patient, public_id=alert_id)
            return services.safety_alert_end(actor=request.user, alert=alert, **data)

        return self._write(request, public_id, SafetyAlertEndSerializer, end, SafetyAlertSerializer, status.HTTP_200_OK)

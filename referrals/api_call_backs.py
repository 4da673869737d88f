"""API for call-back requests: parse, call one service or selector, present."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.idempotency import request_fingerprint
from ccc.permissions import Action, require
from referrals import selectors, services
from referrals.api import BAD_REQUEST, CONFLICT, IDEMPOTENCY_KEY, KEY_REUSED, idempotency_key
from referrals.serializers_call_backs import (
    CallBackRecordSerializer,
    CallBackRequestCreateSerializer,
    CallBackRequestSerializer,
)

WRONG_STATE = OpenApiResponse(description="Already called back or closed: the message says by whom")


@extend_schema_view(
    list=extend_schema(summary="Call-back requests waiting, the one due soonest first (a clinician's: their team's)"),
    retrieve=extend_schema(summary="One call-back request"),
    create=extend_schema(
        summary="Ask a team (or one of its clinicians) to call someone back; due by its urgency, escalated if missed",
        parameters=[IDEMPOTENCY_KEY],
        request=CallBackRequestCreateSerializer,
        responses={
            201: CallBackRequestSerializer, 200: CallBackRequestSerializer, 400: BAD_REQUEST, 409: CONFLICT,
            422: KEY_REUSED,
        },
    ),
    record=extend_schema(
        summary="Record the call back, or close the request with a reason",
        request=CallBackRecordSerializer,
        responses={200: CallBackRequestSerializer, 400: BAD_REQUEST, 409: WRONG_STATE},
    ),
)
class CallBackRequestViewSet(viewsets.GenericViewSet):
    required_action = {
        "list": Action.CALL_BACK_VIEW,
        "retrieve": Action.CALL_BACK_VIEW,
        "create": Action.CALL_BACK_REQUEST,
        "record": Action.CALL_BACK_RECORD,
    }
    serializer_class = CallBackRequestSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.call_back_list(fetched_by=request.user))
        return self.get_paginated_response(CallBackRequestSerializer(page, many=True).data)

    def retrieve(self, request: Request, public_id) -> Response:
        call_back = selectors.call_back_get(public_id=public_id, fetched_by=request.user)
        return Response(CallBackRequestSerializer(call_back).data)

    def create(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = CallBackRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_back, created = services.call_back_request_create(
            actor=request.user, idempotency_key=key, request_fingerprint=request_fingerprint(data.validated_data),
            **data.validated_data,
        )
        return Response(
            CallBackRequestSerializer(call_back).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @action(detail=True, methods=["post"])
    def record(self, request: Request, public_id) -> Response:
        call_back = selectors.call_back_get(public_id=public_id, fetched_by=request.user)
        require(request.user, Action.CALL_BACK_RECORD, call_back)
        data = CallBackRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        call_back = services.call_back_request_record(request=call_back, actor=request.user, **data.validated_data)
        return Response(CallBackRequestSerializer(call_back).data)

"""API for notifications (yours) and escalations (managers see them all; the rung acknowledges)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.permissions import Action
from escalations import selectors, services
from escalations.serializers import AcknowledgeSerializer, EscalationSerializer, NotificationSerializer

NOT_FOUND = OpenApiResponse(description="No such item, or not one of yours")


@extend_schema_view(
    list=extend_schema(summary="Your notifications, newest first"),
    read=extend_schema(summary="Mark a notification read", request=None,
                       responses={200: NotificationSerializer, 404: NOT_FOUND}),
)
class NotificationViewSet(viewsets.GenericViewSet):
    required_action = Action.NOTIFICATION_VIEW
    serializer_class = NotificationSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.notification_list(fetched_by=request.user))
        return self.get_paginated_response(NotificationSerializer(page, many=True).data)

    @action(detail=True, methods=["post"])
    def read(self, request: Request, public_id) -> Response:
        notification = selectors.notification_get(public_id=public_id, fetched_by=request.user)
        services.notification_mark_read(notification=notification, actor=request.user)
        return Response(NotificationSerializer(notification).data)


@extend_schema_view(
    list=extend_schema(summary="Live escalations, the item waiting longest first"),
    acknowledge=extend_schema(
        summary="Acknowledge an escalation sent to you, with a note",
        request=AcknowledgeSerializer,
        responses={200: EscalationSerializer, 400: OpenApiResponse(description="No note"), 404: NOT_FOUND,
                   409: OpenApiResponse(description="Already acknowledged, or the item was answered")},
    ),
)
class EscalationViewSet(viewsets.GenericViewSet):
    required_action = {"list": Action.ESCALATION_VIEW_ALL, "acknowledge": Action.ESCALATION_ACKNOWLEDGE}
    serializer_class = EscalationSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.live_escalations(fetched_by=request.user))
        return self.get_paginated_response(EscalationSerializer(page, many=True).data)

    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, public_id) -> Response:
        escalation = selectors.escalation_get(public_id=public_id, fetched_by=request.user)
        self.check_object_permissions(request, escalation)
        data = AcknowledgeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        escalation = services.escalation_acknowledge(escalation=escalation, actor=request.user, **data.validated_data)
        return Response(EscalationSerializer(escalation).data)

"""API for duty queues: see the work, claim it, record triage decisions."""

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.permissions import Action
from referrals.models import Referral
from triage import selectors, services
from triage.models import TriageDecision
from triage.selectors import queue_filters
from triage.serializers import (
    QueueItemSerializer,
    QueueSerializer,
    ReassignSerializer,
    RedFlagQuestionSerializer,
    ReleaseSerializer,
    ReturnSerializer,
    TriageDecisionCreateSerializer,
    TriageDecisionSerializer,
    UrgencyChangeSerializer,
)

CONFLICT = OpenApiResponse(description="Someone else got there first, or the item is past this step: detail says which")
NOT_FOUND = OpenApiResponse(description="No such item, or not in one of your queues")


@extend_schema_view(
    list=extend_schema(summary="Duty queues you work, with their open work counted"),
    items=extend_schema(
        summary="A queue's open items: most urgent first, then due soonest, then oldest",
        parameters=[
            OpenApiParameter("status", str, enum=["waiting", "claimed"]),
            OpenApiParameter("urgency", str, enum=TriageDecision.Priority.values, description="As the item is now"),
            OpenApiParameter("priority", str, enum=TriageDecision.Priority.values, description="Old name of urgency"),
            OpenApiParameter("referrer_type", str, enum=Referral.ReferrerType.values),
            OpenApiParameter("postcode_district", str, description="Locality, as the patient's postcode district"),
            OpenApiParameter("allocated_team", int, description="Locality: the community nursing team allocated (its id)"),
            OpenApiParameter("mine", bool, description="Only the items you have claimed"),
        ],
        responses=QueueItemSerializer(many=True),
    ),
    claim_next=extend_schema(
        summary="Claim the waiting item due soonest",
        request=None,
        responses={200: QueueItemSerializer, 204: OpenApiResponse(description="Nothing is waiting"), 404: NOT_FOUND},
    ),
)
class QueueViewSet(viewsets.GenericViewSet):
    required_action = {"list": Action.QUEUE_VIEW, "items": Action.QUEUE_VIEW, "claim_next": Action.QUEUE_ITEM_CLAIM}
    serializer_class = QueueSerializer
    lookup_field = "code"
    lookup_value_converter = "slug"

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.queue_list(fetched_by=request.user))
        return self.get_paginated_response(QueueSerializer(page, many=True).data)

    @action(detail=True, methods=["get"])
    def items(self, request: Request, code: str) -> Response:
        queue = selectors.queue_get(code=code, fetched_by=request.user)
        page = self.paginate_queryset(selectors.queue_items(queue=queue, **queue_filters(request.query_params, request.user)))
        return self.get_paginated_response(QueueItemSerializer(page, many=True).data)

    @action(detail=True, methods=["post"], url_path="claim-next")
    def claim_next(self, request: Request, code: str) -> Response:
        queue = selectors.queue_get(code=code, fetched_by=request.user)
        self.check_object_permissions(request, queue)
        item = services.queue_item_claim_next(queue=queue, actor=request.user)
        if item is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(QueueItemSerializer(item).data)


@extend_schema_view(
    claim=extend_schema(
        summary="Claim an item to triage it",
        request=None,
        responses={200: QueueItemSerializer, 404: NOT_FOUND, 409: CONFLICT},
    ),
    release=extend_schema(
        summary="Put an item you have claimed back in the queue, with a reason",
        request=ReleaseSerializer,
        responses={200: QueueItemSerializer, 404: NOT_FOUND, 409: CONFLICT},
    ),
    reassign=extend_schema(
        summary="Hand an item to another clinician of the queue (team lead or duty lead)",
        request=ReassignSerializer,
        responses={200: QueueItemSerializer, 400: OpenApiResponse(description="Invalid input"), 404: NOT_FOUND, 409: CONFLICT},
    ),
    return_to_referrer=extend_schema(
        summary="Return a referral you have claimed to its referrer, with the reason they read and act on",
        request=ReturnSerializer,
        responses={200: QueueItemSerializer, 400: OpenApiResponse(description="Invalid input"), 404: NOT_FOUND, 409: CONFLICT},
    ),
    urgency=extend_schema(
        summary="Change how urgent an open item is, with a reason: its due time and clock move with it",
        request=UrgencyChangeSerializer,
        responses={200: QueueItemSerializer, 400: OpenApiResponse(description="Invalid input"), 404: NOT_FOUND, 409: CONFLICT},
    ),
    triage=extend_schema(
        summary="Record the triage decision for an item you have claimed",
        request=TriageDecisionCreateSerializer,
        responses={201: TriageDecisionSerializer, 400: OpenApiResponse(description="Invalid input"), 404: NOT_FOUND, 409: CONFLICT},
    ),
)
class QueueItemViewSet(viewsets.GenericViewSet):
    required_action = {
        "claim": Action.QUEUE_ITEM_CLAIM,
        "triage": Action.QUEUE_ITEM_TRIAGE,
        "release": Action.QUEUE_ITEM_RELEASE,
        "reassign": Action.QUEUE_ITEM_REASSIGN,
        "urgency": Action.QUEUE_ITEM_URGENCY,
        # Returning is part of triaging it: the same action and object rule as the page.
        "return_to_referrer": Action.QUEUE_ITEM_TRIAGE,
    }
    serializer_class = QueueItemSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    @action(detail=True, methods=["post"])
    def claim(self, request: Request, public_id) -> Response:
        item = selectors.queue_item_get(public_id=public_id, fetched_by=request.user)
        self.check_object_permissions(request, item)
        item = services.queue_item_claim(item=item, actor=request.user)
        return Response(QueueItemSerializer(item).data)

    @action(detail=True, methods=["post"])
    def triage(self, request: Request, public_id) -> Response:
        item = selectors.queue_item_get(public_id=public_id, fetched_by=request.user)
        self.check_object_permissions(request, item)
        data = TriageDecisionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.triage_decision_record(item=item, actor=request.user, **data.validated_data)
        selectors.sensitive_notes_read(decisions=[decision], fetched_by=request.user, channel="api")
        body = TriageDecisionSerializer(decision).data
        return Response(body, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def release(self, request: Request, public_id) -> Response:
        item = selectors.queue_item_get(public_id=public_id, fetched_by=request.user)
        self.check_object_permissions(request, item)
        data = ReleaseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.queue_item_release(item=item, actor=request.user, **data.validated_data)
        return Response(QueueItemSerializer(item).data)

    @action(detail=True, methods=["post"], url_path="return")
    def return_to_referrer(self, request: Request, public_id) -> Response:
        item = selectors.queue_item_get(public_id=public_id, fetched_by=request.user)
        self.check_object_permissions(request, item)
        data = ReturnSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.queue_item_return(item=item, actor=request.user, **data.validated_data)
        return Response(QueueItemSerializer(item).data)

    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, public_id) -> Response:
        item = selectors.queue_item_get(public_id=public_id, fetched_by=request.user)
        self.check_object_permissions(request, item)
        data = ReassignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.queue_item_reassign(item=item, actor=request.user, **data.validated_data)
        return Response(QueueItemSerializer(item).data)

    @action(detail=True, methods=["post"])
    def urgency(self, request: Request, public_id) -> Response:
        item = selectors.queue_item_get(public_id=public_id, fetched_by=request.user)
        self.check_object_permissions(request, item)
        data = UrgencyChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.queue_item_urgency_change(item=item, actor=request.user, **data.validated_data)
        return Response(QueueItemSerializer(item).data)


@extend_schema_view(
    list=extend_schema(
        summary="The red-flag screens asked at intake: a yes sets at least the question's urgency",
        parameters=[OpenApiParameter("need", str, description="A need category code: that need's screen only")],
    ),
)
class RedFlagQuestionViewSet(viewsets.GenericViewSet):
    required_action = {"list": Action.REFERRAL_CREATE}
    serializer_class = RedFlagQuestionSerializer

    def list(self, request: Request) -> Response:
        need = (request.query_params.get("need") or "").strip()
        page = self.paginate_queryset(selectors.red_flag_questions(fetched_by=request.user, need_code=need))
        return self.get_paginated_response(RedFlagQuestionSerializer(page, many=True).data)

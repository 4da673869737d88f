"""API for IRR episodes and their visits."""

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.access_log import Kind as AccessKind
from ccc.access_log import access_viewed
from ccc.idempotency import request_fingerprint
from ccc.permissions import Action, can
from irr import selectors, services
from irr.serializers import (
    EpisodeCloseSerializer,
    EpisodeOpenSerializer,
    EpisodeSerializer,
    MemberCreateSerializer,
    MemberSerializer,
    VisitCreateSerializer,
    VisitRecordSerializer,
    VisitSerializer,
)

CONFLICT = OpenApiResponse(description="The episode is closed, or the visit already recorded")
NOT_FOUND = OpenApiResponse(description="No such episode, or not your team's")
INVALID = OpenApiResponse(description="Invalid input, or a rule refused it (two staff for a lone-working risk)")


@extend_schema_view(
    list=extend_schema(summary="Open IRR episodes you may see"),
    retrieve=extend_schema(summary="One episode, with its members and visits", responses={200: EpisodeSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Open an episode from a triage decision to start one",
        request=EpisodeOpenSerializer,
        responses={201: EpisodeSerializer, 400: INVALID},
    ),
    members=extend_schema(summary="Add a team member", request=MemberCreateSerializer, responses={201: MemberSerializer, 400: INVALID, 404: NOT_FOUND}),
    visits=extend_schema(
        summary="Plan a visit (an optional Idempotency-Key: the same body again returns the first visit)",
        request=VisitCreateSerializer,
        responses={
            201: VisitSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT,
            422: OpenApiResponse(description="The Idempotency-Key already planned a visit from a different body"),
        },
    ),
    close=extend_schema(summary="Close the episode with its outcome", request=EpisodeCloseSerializer, responses={200: EpisodeSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT}),
)
class EpisodeViewSet(viewsets.GenericViewSet):
    required_action = {
        "list": Action.EPISODE_VIEW,
        "retrieve": Action.EPISODE_VIEW,
        "create": Action.EPISODE_MANAGE,
        "members": Action.EPISODE_MANAGE,
        "visits": Action.EPISODE_MANAGE,
        "close": Action.EPISODE_MANAGE,
    }
    serializer_class = EpisodeSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    def _episode(self, request: Request, public_id):
        episode = selectors.episode_get(public_id=public_id, fetched_by=request.user)
        self.check_object_permissions(request, episode)
        return episode

    def list(self, request: Request) -> Response:
        # Members and visits come with the page: four queries, not four an episode.
        episodes = selectors.episode_list(fetched_by=request.user).prefetch_related("members__organisation", "visits__staff")
        page = self.paginate_queryset(episodes)
        return self.get_paginated_response(EpisodeSerializer(page, many=True).data)

    def retrieve(self, request: Request, public_id) -> Response:
        episode = self._episode(request, public_id)
        access_viewed(request, kind=AccessKind.EPISODE, record_id=episode.public_id, patient_id=episode.patient_id)
        return Response(EpisodeSerializer(episode).data)

    def create(self, request: Request) -> Response:
        data = EpisodeOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = data.validated_data["source_decision"]
        if not can(request.user, Action.QUEUE_VIEW, decision.queue_item):
            raise Http404("No such decision")
        self.check_object_permissions(request, decision)  # its clinician, or a lead of its queue
        episode = services.episode_open(
            patient=decision.queue_item.referral.patient, actor=request.user, **data.validated_data
        )
        return Response(EpisodeSerializer(episode).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def members(self, request: Request, public_id) -> Response:
        episode = self._episode(request, public_id)
        data = MemberCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        member = services.episode_member_add(episode=episode, actor=request.user, **data.validated_data)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def visits(self, request: Request, public_id) -> Response:
        episode = self._episode(request, public_id)
        data = VisitCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key") or None
        visit = services.visit_schedule(
            episode=episode, actor=request.user, submission_key=key,
            request_fingerprint=request_fingerprint(data.validated_data) if key else "", **data.validated_data,
        )
        return Response(VisitSerializer(visit).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def close(self, request: Request, public_id) -> Response:
        episode = self._episode(request, public_id)
        data = EpisodeCloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        episode = services.episode_close(episode=episode, actor=request.user, **data.validated_data)
        return Response(EpisodeSerializer(episode).data)


@extend_schema_view(
    record=extend_schema(summary="Record what happened on a visit", request=VisitRecordSerializer, responses={200: VisitSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT}),
)
class VisitViewSet(viewsets.GenericViewSet):
    required_action = {"record": Action.EPISODE_MANAGE}
    serializer_class = VisitSerializer
    lookup_field = "public_id"
    lookup_value_converter = "uuid"

    @action(detail=True, methods=["post"])
    def record(self, request: Request, public_id) -> Response:
        visit = selectors.visit_get(public_id=public_id, fetched_by=request.user)
        self.check_object_permissions(request, visit)
        data = VisitRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        visit = services.visit_record(visit=visit, actor=request.user, **data.validated_data)
        return Response(VisitSerializer(visit).data)

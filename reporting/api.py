"""Data out through the API: the joint data set as JSON, and live capacity (FHIR: reporting/fhir_api.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ccc.access_log import access_exported
from ccc.permissions import Action
from ccc.reporting import PeriodKind
from reporting import capacity, joint, selectors
from reporting.forms import PeriodForm


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

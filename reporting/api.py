"""Data out through the API: the joint data set as JSON (FHIR: reporting/fhir_api.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from ccc.permissions import Action
from ccc.reporting import PeriodKind
from reporting import joint, selectors
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
        response = self.get_paginated_response(joint.as_rows(page))
        response.data = {
            "period": {"first": period.first, "last": period.last},
            "scope": scope.label,
            "fields": list(joint.FIELDS),
            **response.data,
        }
        return response

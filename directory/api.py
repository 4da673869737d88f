"""Open Referral UK API, read-only: ``/api/v1/oruk/services``, ``/services/{id}`` and
``/taxonomy_terms``, in ORUK's shapes (``directory.oruk``) and page envelope."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ccc.pagination import MAX_OFFSET
from ccc.permissions import Action
from directory import oruk, selectors
from directory.models import TaxonomyTerm

MAX_PER_PAGE = 100


class PageParameters(serializers.Serializer):
    # Bounded so the rows skipped stay within ccc.pagination's bound on any list.
    page = serializers.IntegerField(min_value=1, max_value=MAX_OFFSET // MAX_PER_PAGE, default=1)
    per_page = serializers.IntegerField(min_value=1, max_value=MAX_PER_PAGE, default=50)


class ServiceSearchParameters(PageParameters):
    search = serializers.CharField(required=False, default="", allow_blank=True, max_length=selectors.MAX_QUERY_LENGTH)
    taxonomy_term_id = serializers.UUIDField(required=False)
    postcode = serializers.CharField(required=False, default="", allow_blank=True, max_length=20)
    age = serializers.IntegerField(required=False, min_value=0, max_value=130)
    self_referral = serializers.BooleanField(required=False, default=False)
    open_now = serializers.BooleanField(required=False, default=False)


def _page(queryset, params: dict, present) -> Response:
    per_page, number = params["per_page"], params["page"]
    total = queryset.count()
    items = list(queryset[(number - 1) * per_page : number * per_page])
    contents = [present(item) for item in items]
    return Response(oruk.page_json(contents, total_items=total, page_number=number, per_page=per_page))


class OrukApiView(APIView):
    required_action = Action.DIRECTORY_SEARCH


class ServiceListView(OrukApiView):
    @extend_schema(
        operation_id="oruk_services_list",
        summary="ORUK: active services, searchable, one page",
        parameters=[ServiceSearchParameters],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        params = ServiceSearchParameters(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        term = None
        if data.get("taxonomy_term_id"):
            term = TaxonomyTerm.objects.filter(pk=data["taxonomy_term_id"]).first()
            if term is None:
                raise serializers.ValidationError({"taxonomy_term_id": ["No such taxonomy term"]})
        filters = selectors.SearchFilters(
            text=data["search"],
            term=term,
            area=data["postcode"],
            age=data.get("age"),
            self_referral=data["self_referral"],
            open_now=data["open_now"],
        )
        queryset = selectors.service_search(fetched_by=request.user, filters=filters).select_related("organization")
        return _page(queryset, data, oruk.service_summary_json)


class ServiceDetailView(OrukApiView):
    @extend_schema(
        operation_id="oruk_service_retrieve",
        summary="ORUK: one service, fully nested (retired ones too)",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, service_id):
        return Response(oruk.service_json(selectors.service_get(service_id=service_id, fetched_by=request.user)))


class TaxonomyTermListView(OrukApiView):
    @extend_schema(
        operation_id="oruk_taxonomy_terms_list",
        summary="ORUK: taxonomy terms",
        parameters=[PageParameters],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        params = PageParameters(data=request.query_params)
        params.is_valid(raise_exception=True)
        return _page(selectors.taxonomy_terms(), params.validated_data, oruk.taxonomy_term_json)

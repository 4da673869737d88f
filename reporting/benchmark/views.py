"""Benchmark-only: the minimal views and the slowest-query header (``ccc/settings_benchmark.py``).

A minimal view is the least Django can do to serve a list's rows: one ORM query in the list's own
order over the same tables, every column and the person each row names as JSON, no login, no
template, no serializer. It reads
models directly, not through the selectors: it exists to be compared with them, and it is never
routed in production (``reporting.benchmark.urls`` is used only by the benchmark's gunicorn).
"""

import base64
from collections.abc import Callable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict

from ccc.query_watch import query_watch
from directory.models import Service
from discharge.models import RegisterEntry
from referrals.models import Patient
from triage.models import QUEUE_ORDER, QueueItem
from triage.selectors import OPEN


def _queue_items(query: QueryDict) -> QuerySet:
    items = QueueItem.objects.filter(queue__code=query["queue"], status__in=OPEN).order_by(*QUEUE_ORDER)
    return items[: int(query.get("limit", 50))]


def _patients(query: QueryDict) -> QuerySet:
    named = Patient.objects.alias(family=Lower("family_name")).filter(family__startswith=query["name"].lower())
    return named.filter(date_of_birth=query["date_of_birth"])[:50]


def _board(query: QueryDict) -> QuerySet:
    entries = RegisterEntry.objects.filter(status=RegisterEntry.Status.OPEN)
    return entries.order_by(F("fit_on").asc(nulls_last=True), "admitted_on", "pk")


def _services(query: QueryDict) -> QuerySet:
    words = SearchQuery(query["text"], config="english", search_type="websearch")
    found = Service.objects.filter(status=Service.Status.ACTIVE, search_vector=words)
    return found.annotate(rank=SearchRank(F("search_vector"), words)).order_by("-rank", "name", "pk")[:20]


PERSON = ("patient__nhs_number", "patient__given_name", "patient__family_name", "patient__date_of_birth")
# Each list's rows, with the person (and need) each row names, as the list shows them.
MINIMAL: dict[str, tuple[Callable[[QueryDict], QuerySet], tuple[str, ...]]] = {
    "queue-items": (_queue_items, (*(f"referral__{name}" for name in PERSON), "referral__need__name")),
    "patients": (_patients, ()),
    "board": (_board, (*PERSON, "ward__name")),
    "services": (_services, ("organization__name",)),
}


def minimal_rows(request: HttpRequest, name: str) -> JsonResponse:
    if name not in MINIMAL:
        raise Http404(name)
    rows, related = MINIMAL[name]
    queryset = rows(request.GET)
    own = [field.attname for field in queryset.model._meta.concrete_fields]
    return JsonResponse({"results": list(queryset.values(*own, *related))}, encoder=DjangoJSONEncoder)


class SlowestQueryMiddleware:
    """Sets ``X-Slowest-Query``: the slowest SELECT of the response with its parameters bound, base64,
    which the benchmark runs again on its own to time the "raw SQL of the main query"."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with query_watch() as watch:
            response = self.get_response(request)
        if watch.slowest_sql:
            bound = connection.ops.compose_sql(watch.slowest_sql, watch.slowest_params)
            response["X-Slowest-Query"] = base64.b64encode(bound.encode()).decode()
        return response

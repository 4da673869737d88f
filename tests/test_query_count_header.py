"""The query-count header the place benchmark reads: off unless CCC_QUERY_COUNT_HEADER=1, and when on
it counts every statement the answer cost."""

import os
import subprocess
import sys

from django.http import HttpResponse
from django.test import RequestFactory

from ccc.middleware import QueryCountMiddleware
from ccc.models import User


def _middleware_with(env: dict) -> str:
    code = "import django; django.setup(); from django.conf import settings; print(settings.MIDDLEWARE[0])"
    return subprocess.run([sys.executable, "-c", code], env={**os.environ, "DJANGO_SETTINGS_MODULE": "ccc.settings",
                          "DEBUG": "1", **env}, capture_output=True, text=True, check=True).stdout.strip()


def test_the_header_is_off_unless_asked_for():
    assert _middleware_with({"CCC_QUERY_COUNT_HEADER": ""}) != "ccc.middleware.QueryCountMiddleware"
    assert _middleware_with({"CCC_QUERY_COUNT_HEADER": "1"}) == "ccc.middleware.QueryCountMiddleware"


def test_it_counts_every_query_the_answer_cost(db):
    def view(request):
        User.objects.count()
        User.objects.exists()
        return HttpResponse()

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))

    assert response["X-Query-Count"] == "2"

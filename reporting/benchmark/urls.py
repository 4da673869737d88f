"""The real URLs and, under ``/_bench/``, the minimal views each list is compared with (issue 15:
a list's median at most 3 times a minimal Django view serving the same rows)."""

from django.urls import path

from ccc.urls import urlpatterns as real
from reporting.benchmark import views

urlpatterns = [path("_bench/rows/<slug:name>/", views.minimal_rows, name="bench_rows"), *real]

"""The place benchmark (``manage.py place_benchmark``) at tiny N: gunicorn really started on the test
database with DEBUG off, the demo people logged in (the manager with an authenticator code), and
every operation of issue 15's table reported with its timings, its queries and its main SQL."""

import json
from io import StringIO

import pytest
from django.conf import global_settings
from django.core.management import call_command

from loadtest.run import PASSWORD, SECRET
from tests.seed import reseed

pytestmark = pytest.mark.django_db(transaction=True)

OPERATIONS = [
    "queue API, first 50", "queue page", "patient by NHS number, API", "patient by NHS number, page",
    "patient by name and date of birth, API", "referral create, API", "referral detail, API",
    "referral detail, page", "Transfer of Care board", "dashboard, a month", "directory search page",
]


def test_every_operation_reports_its_times_queries_and_main_sql_through_gunicorn(settings, tmp_path):
    settings.DEBUG = True  # demo_data refuses a live-looking system; gunicorn itself runs with DEBUG off
    # The people log in to gunicorn, which knows only the real hashers, not the tests' quick one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    reseed()
    call_command("demo_data", password=PASSWORD, second_factor_secret=SECRET, stdout=StringIO(), stderr=StringIO())
    out, printed = tmp_path / "figures.json", StringIO()

    call_command("place_benchmark", runs=2, json=str(out), password=PASSWORD, second_factor_secret=SECRET,
                 throughput_seconds=1, sweep_due=20, stdout=printed)

    figures = json.loads(out.read_text())
    assert [row["operation"] for row in figures["operations"]] == OPERATIONS
    for row in figures["operations"]:
        assert 0 < row["p50_ms"] <= row["p95_ms"], row["operation"]
        assert row["queries"] >= 1, row["operation"]
        assert row["sql"] and row["sql_p50_ms"] > 0 and row["x_sql"] > 0, row["operation"]
        assert row["result"] in ("MET", "MISSED")
    lists = [row["operation"] for row in figures["operations"] if "x_minimal" in row]
    assert lists == ["queue API, first 50", "queue page", "patient by name and date of birth, API",
                     "Transfer of Care board", "directory search page"]
    assert figures["queue_sizes"]["ratio"] > 0
    assert figures["throughput"]["per_second"] > 0 and figures["throughput"]["failed"] == 0
    sweep = figures["sweep"]
    assert sweep["clocks"] == 20 and sweep["queries"] > 0 and sweep["sql_p50_ms"] > 0
    assert "| dashboard, a month |" in printed.getvalue() and "Load average (1 min)" in printed.getvalue()

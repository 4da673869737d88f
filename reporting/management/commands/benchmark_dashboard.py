"""Time the dashboard: the whole page and each figure, p50 and p95 over N runs.

    python manage.py benchmark_dashboard [--runs 30] [--period month] [--date 2025-06-15] [--scope team-3] [--explain]

The page is rendered as a manager would get it (the view itself, through a request object,
without the network). ``--explain`` prints PostgreSQL's EXPLAIN (ANALYZE, BUFFERS) of the
slowest query of one page.
"""

import math
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ccc.models import User
from referrals.models import Referral
from reporting import views
from reporting.figures import FIGURES
from reporting.forms import PeriodForm
from reporting.selectors import report_scope, scope_choices


def p95(values: list[float]) -> float:
    """Nearest rank: the value 95% of the runs were at or under."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


class Command(BaseCommand):
    help = "Time the dashboard page and each of its figures (p50, p95 in milliseconds over N runs)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument("--period", default="month", choices=["day", "week", "month", "custom"])
        parser.add_argument("--date", default=None, help="A day in the period (default: today)")
        parser.add_argument("--end", default=None, help="The last day, for --period custom")
        parser.add_argument("--scope", default="", help="organisation-<id> or team-<id> (default: everything)")
        parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest query (PostgreSQL)")

    def handle(self, *args: Any, runs: int, explain: bool, **options: Any) -> None:
        manager = User.objects.filter(role=User.Role.MANAGER, is_active=True).first()
        if manager is None:
            raise CommandError("Needs a manager to look at the dashboard: run manage.py demo_data first")
        query = {
            "period": options["period"],
            "date": options["date"] or timezone.localdate().isoformat(),
            **({"end": options["end"]} if options["end"] else {}),
            **({"scope": options["scope"]} if options["scope"] else {}),
        }
        form = PeriodForm(query, scope_choices=scope_choices(fetched_by=manager))
        if not form.is_valid():
            raise CommandError(form.errors.as_text())
        period = form.period_value
        scope = report_scope(fetched_by=manager, choice=form.cleaned_data.get("scope") or "")
        request = RequestFactory().get(reverse("reporting:dashboard"), query)
        request.user = manager

        in_period = Referral.objects.filter(received_at__gte=period.start, received_at__lt=period.end).count()
        self.stdout.write(
            f"{Referral.objects.count():,} referrals in the database, {in_period:,} in {period.label} "
            f"({scope.label}); {runs} runs after 2 to warm up; {connection.vendor}"
        )
        for _ in range(2):
            views.dashboard(request)

        page_times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = views.dashboard(request)
            page_times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise CommandError(f"The dashboard answered {response.status_code}")
        self._line("Whole page", page_times)
        for figure in FIGURES:
            times = []
            for _ in range(runs):
                started = time.perf_counter()
                figure.rows(period, scope)
                times.append((time.perf_counter() - started) * 1000)
            self._line(f"  {figure.title}", times)

        with CaptureQueriesContext(connection) as captured:
            views.dashboard(request)
        self.stdout.write(f"Queries for one page: {len(captured.captured_queries)}")
        slowest = max(captured.captured_queries, key=lambda q: float(q["time"]))
        self.stdout.write(f"Slowest query ({float(slowest['time']) * 1000:.1f} ms):\n{slowest['sql']}")
        if explain and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {slowest['sql']}")
                self.stdout.write("\n".join(row[0] for row in cursor.fetchall()))

    def _line(self, name: str, times: list[float]) -> None:
        self.stdout.write(f"{name:<45} p50 {statistics.median(times):8.1f} ms   p95 {p95(times):8.1f} ms")

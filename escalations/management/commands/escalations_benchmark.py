"""How the escalation poller's cost grows: with what is due, not with what is open.

    python manage.py escalations_benchmark [--open 100000] [--due 100,1000,10000]

For each due count, makes throwaway clocks (on throwaway subjects) in a transaction it rolls
back: ``--open`` clocks not yet due and that many due, each owing a rung that tells a named person
(and its warning, when the ladder has no other rungs). Clocks the database already has that are due
fire in the same sweep. Times the sweep that fires them all and prints the clocks and steps
fired, the queries, and the plan PostgreSQL uses to find due clocks.
"""

import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.urls import get_resolver
from django.utils import timezone

from ccc.models import User
from ccc.query_watch import query_watch
from escalations.models import Clock, EscalationLadder, EscalationRung
from escalations.services import escalations_fire_due


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the escalation poller over many open clocks of which some are due; nothing is kept."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--open", type=int, default=100_000, help="Open clocks not yet due")
        parser.add_argument("--due", default="100,1000,10000", help="Due clocks, one run per comma-separated count")

    def handle(self, *args, open: int, due: str, **options) -> None:
        for due_count in (int(part) for part in due.split(",")):
            if connection.vendor == "postgresql":
                self.stdout.write("Plan for finding the due clocks:")
            figures = sweep_measure(open_count=open, due_count=due_count, explain=self._explain)
            self.stdout.write(
                f"{open} open not due, {due_count} due ({figures['due']} with the database's own): "
                f"{figures['clocks']} clocks fired {figures['steps']} steps in "
                f"{figures['seconds']:.2f} s, {figures['queries']} queries "
                f"({1000 * figures['seconds'] / max(figures['clocks'], 1):.2f} ms per clock fired)"
            )
        self.stdout.write("Rolled back: nothing kept.")

    def _explain(self, lines: list[str]) -> None:
        for line in lines:
            self.stdout.write("  " + line)


def sweep_measure(*, open_count: int, due_count: int, sql_runs: int = 0, explain=None) -> dict:
    """One sweep over ``due_count`` throwaway due clocks among ``open_count`` throwaway open ones (and
    whatever clocks the database already has), rolled back. With ``sql_runs``, the sweep's slowest
    SELECT is run again that many times on its own, before the rollback (the place benchmark's raw SQL)."""
    figures: dict = {}
    try:
        with transaction.atomic():
            figures.update(_sweep(open_count, due_count, sql_runs, explain))
            raise Rollback
    except Rollback:
        pass
    return figures


def _sweep(open_count: int, due_count: int, sql_runs: int, explain) -> dict:
    now = timezone.now()
    subject_type = ContentType.objects.get_for_model(ContentType)
    person = User.objects.create(username=f"benchmark-{now.timestamp()}", first_name="Bench", last_name="Mark")
    ladder = EscalationLadder.objects.filter(queue__isnull=True).first() or EscalationLadder.objects.create(
        name="Benchmark ladder", queue=None
    )
    # A last rung telling one named person: due clocks start just below it.
    below = ladder.rungs.count()
    rung = EscalationRung.objects.create(ladder=ladder, position=below + 1, name="Benchmark rung",
                                         minutes_after_previous=0, people=EscalationRung.People.NAMED)
    rung.named_users.add(person)
    clocks = []
    for n in range(open_count + due_count):
        is_due = n < due_count
        due_at = now - timedelta(minutes=1) if is_due else now + timedelta(hours=2)
        # Each due clock owes one escalation (and a warning too when the ladder has no rungs).
        clocks.append(Clock(
            subject_type=subject_type, subject_id=10**12 + n, kind="benchmark", label=f"Benchmark {n}",
            ladder=ladder, rung=below if is_due else 0, next_rung_at=due_at if is_due else None,
            started_at=due_at - timedelta(hours=2), due_at=due_at, warn_at=due_at - timedelta(minutes=30),
            next_action_at=due_at - timedelta(minutes=30),
        ))
    Clock.objects.bulk_create(clocks, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE escalations_clock")
    if explain and connection.vendor == "postgresql":
        explain(_plan(now))
    # Clocks the place already has that are due are fired too: the limit is everything due.
    due = Clock.objects.filter(state="open", next_action_at__lte=now)
    figures = {"open": Clock.objects.filter(state="open").count(), "due": due.count()}
    _ = get_resolver().url_patterns  # loaded once, as in a worker that has swept before
    try:
        with transaction.atomic():
            started = time.perf_counter()
            # Counted, not logged: logging would format every bulk INSERT's thousands of values.
            with query_watch() as watch:
                figures["steps"] = escalations_fire_due(now=now, limit=figures["due"])
            figures.update(seconds=time.perf_counter() - started, queries=watch.count)
            # Fired: climbed the benchmark's rung (a clock below the last rung of a ladder is not warned).
            figures["clocks"] = Clock.objects.filter(kind="benchmark", rung__gt=below).count()
            if sql_runs:  # the raw SQL is timed on the clocks as the sweep found them
                raise Rollback
    except Rollback:
        pass
    if sql_runs:
        figures["sql"] = watch.slowest_sql
        figures["sql_ms"] = []
        with connection.cursor() as cursor:
            for _ in range(sql_runs):
                began = time.perf_counter()
                cursor.execute(watch.slowest_sql, watch.slowest_params)
                cursor.fetchall()
                figures["sql_ms"].append((time.perf_counter() - began) * 1000)
    return figures


def _plan(now) -> list[str]:
    sql, params = (
        Clock.objects.filter(state="open", next_action_at__lte=now).order_by("next_action_at", "pk")[:500]
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return [line for (line,) in cursor.fetchall()]


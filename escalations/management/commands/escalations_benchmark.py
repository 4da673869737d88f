"""How the escalation poller's cost grows: with what is due, not with what is open.

    python manage.py escalations_benchmark [--open 100000] [--due 100,1000,10000]

For each due count, makes throwaway clocks (on throwaway subjects) in a transaction it rolls
back: ``--open`` clocks not yet due and that many due, each owing its warning and a rung that
tells a named person. Times the sweep that fires them all and prints the clocks and steps
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
            try:
                with transaction.atomic():
                    self._run(open, due_count)
                    raise Rollback
            except Rollback:
                pass
        self.stdout.write("Rolled back: nothing kept.")

    def _run(self, open_count: int, due_count: int) -> None:
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
            # Each due clock owes a warning and one escalation.
            clocks.append(Clock(
                subject_type=subject_type, subject_id=10**12 + n, kind="benchmark", label=f"Benchmark {n}",
                ladder=ladder, rung=below if is_due else 0, next_rung_at=due_at if is_due else None,
                started_at=due_at - timedelta(hours=2), due_at=due_at, warn_at=due_at - timedelta(minutes=30),
                next_action_at=due_at - timedelta(minutes=30),
            ))
        Clock.objects.bulk_create(clocks, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE escalations_clock")
        if connection.vendor == "postgresql":
            self._explain(now)
        _ = get_resolver().url_patterns  # loaded once, as in a worker that has swept before
        queries = []
        started = time.perf_counter()
        # Counted, not logged: logging would format every statement's thousands of values.
        with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
            fired = escalations_fire_due(now=now, limit=due_count)
        seconds = time.perf_counter() - started
        warned = Clock.objects.filter(kind="benchmark", warned_at=now).count()
        self.stdout.write(
            f"{open_count} open not due, {due_count} due: {warned} clocks fired {fired} steps in {seconds:.2f} s, "
            f"{len(queries)} queries ({1000 * seconds / max(warned, 1):.2f} ms per clock fired)"
        )

    def _explain(self, now) -> None:
        sql, params = (
            Clock.objects.filter(state="open", next_action_at__lte=now).order_by("next_action_at", "pk")[:500]
            .query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            self.stdout.write("Plan for finding the due clocks:")
            for (line,) in cursor.fetchall():
                self.stdout.write("  " + line)

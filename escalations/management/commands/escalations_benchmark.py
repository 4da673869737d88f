"""How the escalation poller's cost grows: with what is due, not with what is open.

    python manage.py escalations_benchmark [--open 20000] [--due 200]

Makes throwaway clocks (on throwaway users as subjects) in a transaction it rolls back, times
one poll over them, and prints the plan PostgreSQL uses to find the due clocks.
"""

import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from escalations.models import Clock
from escalations.services import escalations_fire_due


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the escalation poller over many open clocks of which few are due; nothing is kept."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--open", type=int, default=20000, help="Open clocks not yet due")
        parser.add_argument("--due", type=int, default=200, help="Open clocks due now")

    def handle(self, *args, open: int, due: int, **options) -> None:
        try:
            with transaction.atomic():
                self._run(open, due)
                raise Rollback
        except Rollback:
            self.stdout.write("Rolled back: nothing kept.")

    def _run(self, open_count: int, due_count: int) -> None:
        now = timezone.now()
        subject_type = ContentType.objects.get_for_model(ContentType)
        clocks = []
        for n in range(open_count + due_count):
            is_due = n < due_count
            due_at = now - timedelta(minutes=1) if is_due else now + timedelta(hours=2)
            clocks.append(Clock(
                subject_type=subject_type, subject_id=10**12 + n, kind="benchmark", label=f"Benchmark {n}",
                started_at=due_at - timedelta(hours=2), due_at=due_at, warn_at=due_at - timedelta(minutes=30),
                next_action_at=due_at - timedelta(minutes=30),
            ))
        Clock.objects.bulk_create(clocks, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE escalations_clock")
        if connection.vendor == "postgresql":
            sql, params = (
                Clock.objects.filter(state="open", next_action_at__lte=now).order_by("next_action_at", "pk")[:1]
                .query.sql_with_params()
            )
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                self.stdout.write("Plan for finding the next due clock:")
                for (line,) in cursor.fetchall():
                    self.stdout.write("  " + line)
        started = time.perf_counter()
        fired = escalations_fire_due(now=now)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{open_count} open clocks not due, {due_count} due: fired {fired} steps in {seconds:.2f} s "
            f"({1000 * seconds / max(due_count, 1):.1f} ms per due clock)"
        )

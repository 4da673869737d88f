"""Generate many referrals (patients, queue items, triage decisions) to measure the dashboard.

    python manage.py generate_referrals --count 1000000 [--days 730] [--seed 1]

For a database of its own (PostgreSQL only: it writes with COPY, 50,000 rows a batch, and
shows its progress). It needs the configuration demo_data makes (queues, routing rules, a call
handler and a duty clinician): run ``manage.py demo_data`` first. Never on a live system: the
rows are made directly, without history or timelines, for measuring only.
"""

import csv
import io
import random
import time
import uuid
from datetime import datetime, timedelta
from datetime import time as clock_time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from ccc.models import User
from referrals.models import Patient, Referral
from triage.models import QueueItem, RoutingRule, TriageDecision

BATCH = 50_000
# More referrals by day than by night, as a front desk sees: weight per local hour 0..23.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1]
REFERRER_WEIGHTS = {"gp": 40, "professional": 20, "patient": 15, "carer": 10, "care_home": 5, "ward": 10}
PRIORITY_WEIGHTS = {"emergency": 5, "urgent": 35, "routine": 60}
OUTCOMES = ["accept", "refer_on", "signpost", "no_further_action"]


def _columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields]


class Command(BaseCommand):
    help = "Generate COUNT referrals with patients, queue items and triage decisions (PostgreSQL, for benchmarks)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--days", type=int, default=730, help="Spread over the last DAYS days (default 730).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args: Any, count: int, days: int, seed: int, force: bool, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_referrals writes with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database"
            )
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like a live system. Use a database of its own, or --force.")
        rules = list(RoutingRule.objects.select_related("queue").filter(queue__is_active=True))
        handler = User.objects.filter(role=User.Role.CALL_HANDLER).first()
        clinician = User.objects.filter(role=User.Role.DUTY_CLINICIAN).first()
        if not (rules and handler and clinician):
            raise CommandError(
                "Needs routing rules, a call handler and a duty clinician: run manage.py demo_data first"
            )

        random.seed(seed)
        now = timezone.now()
        first_ids = {
            model: (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
            for model in (Patient, Referral, QueueItem, TriageDecision)
        }
        started = time.monotonic()
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            with transaction.atomic():
                tables = self._batch(made, size, count, first_ids, rules, handler.pk, clinician.pk, now, days)
                with connection.cursor() as cursor:
                    for model, rows in tables.items():
                        self._copy(cursor, model, rows)
            made += size
            elapsed = time.monotonic() - started
            self.stdout.write(f"{made:>10,} / {count:,} referrals  ({elapsed:.0f} s, {made / elapsed:,.0f} a second)")
        with connection.cursor() as cursor:
            for model in (Patient, Referral, QueueItem, TriageDecision):
                table = model._meta.db_table
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                # VACUUM sets the visibility map, which index-only scans need; it cannot run in a transaction.
                cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM ANALYZE'} {table}")
        self.stdout.write(self.style.SUCCESS(f"Made {count:,} referrals in {time.monotonic() - started:.0f} s"))

    def _batch(self, offset, size, count, first_ids, rules, handler_id, clinician_id, now, days) -> dict:
        zone = timezone.get_current_timezone()
        hours = list(range(24))
        referrer_types, referrer_weights = zip(*REFERRER_WEIGHTS.items())
        priorities, priority_weights = zip(*PRIORITY_WEIGHTS.items())
        patients, referrals, items, decisions = [], [], [], []
        chosen_hours = random.choices(hours, HOUR_WEIGHTS, k=size)
        chosen_types = random.choices(referrer_types, referrer_weights, k=size)
        chosen_priorities = random.choices(priorities, priority_weights, k=size)
        for n in range(size):
            number = offset + n
            patient_id = first_ids[Patient] + number
            referral_id = first_ids[Referral] + number
            item_id = first_ids[QueueItem] + number
            # Oldest first, as a live system records them: a period's rows sit together on disk.
            day = (now - timedelta(days=days - 1 - number * days // count)).astimezone(zone).date()
            midnight = timezone.make_aware(datetime.combine(day, clock_time.min), zone)
            local = midnight + timedelta(hours=chosen_hours[n], seconds=random.randrange(3600))
            received = min(local, now - timedelta(minutes=1))
            rule = rules[number % len(rules)]
            target = timedelta(minutes=rule.queue.triage_target_minutes)
            patients.append(
                [patient_id, uuid.uuid4(), "", "Generated", f"Patient{patient_id}", "1950-01-01", "", "", "", received]
            )
            referrals.append(
                [
                    referral_id,
                    uuid.uuid4(),
                    patient_id,
                    chosen_types[n],
                    "Generated referrer",
                    "",
                    "",
                    "phone",
                    rule.need_id,
                    "Generated for a benchmark",
                    "",
                    received,
                    handler_id,
                    f"perf-{referral_id}",
                ]
            )
            # Everything older than a day has been triaged; newer ones are waiting or being triaged.
            age = now - received
            minutes = random.lognormvariate(4.0, 0.8)  # median about 55 minutes, a long tail
            decided = received + timedelta(minutes=minutes)
            if age > timedelta(days=1) or decided < now - timedelta(hours=2):
                status, claimed_by, claimed_at = "triaged", clinician_id, decided - timedelta(minutes=minutes / 3)
                decisions.append(
                    [
                        first_ids[TriageDecision] + len(decisions) + offset,
                        uuid.uuid4(),
                        item_id,
                        chosen_priorities[n],
                        OUTCOMES[number % len(OUTCOMES)],
                        "Generated",
                        clinician_id,
                        decided,
                    ]
                )
            else:
                status, claimed_by, claimed_at = "waiting", None, None
            # notified_at is set, so the notification sweep leaves these alone.
            items.append(
                [
                    item_id,
                    uuid.uuid4(),
                    referral_id,
                    rule.queue_id,
                    status,
                    received,
                    received + target,
                    claimed_by,
                    claimed_at,
                    received,
                ]
            )
        return {Patient: patients, Referral: referrals, QueueItem: items, TriageDecision: decisions}

    def _copy(self, cursor, model, rows: list[list]) -> None:
        if not rows:
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow(["\\N" if value is None else value for value in row])
        buffer.seek(0)
        columns = ", ".join(_columns(model))
        # psycopg2's cursor under Django's wrapper.
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )

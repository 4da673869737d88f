"""Generate many referrals (patients, queue items, triage decisions) to measure the dashboard.

    python manage.py generate_referrals --count 1000000 [--days 730] [--seed 1]

For a database of its own (PostgreSQL only: it writes with COPY, 50,000 rows a batch, and
shows its progress). It needs the configuration demo_data makes (queues, routing rules, a call
handler and a duty clinician): run ``manage.py demo_data`` first. Never on a live system: the
rows are made directly, without history or timelines, for measuring only.

Rows are built here, but every decision intake makes comes from intake's own functions, never a
copy: the duty queue from ``triage.services.route_for`` (out-of-hours routing and fallbacks
included), the due time from the queue's ``triage_target`` (as ``queue_item_create``), the
locality team and its warning from ``referrals.services.locality_team_for``, and an accepted
decision's respond-by from ``triage.selectors.response_target``. Each answer is remembered for
its inputs (a practice; a queue and priority; a need in or out of hours, see ``_router``), and
referrals arrive on the quarter hour, so the questions stay few and COPY keeps its speed.

Rows are dicts by field name; every column the generator does not name gets the field's
default (or NULL), and a required field with neither stops the command naming it. Decisions
keep the model's rules (a refer-on names its service, a signpost names one, an accepted
referral has its response clock from the queue's response target). No escalation clocks are
made: the dashboard does not read them, and clock_stop tolerates a referral without one, so a
generated waiting referral can still be claimed and triaged; it just never escalates.
"""

import csv
import io
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from ccc.models import Organisation, User
from referrals.models import Patient, Referral
from referrals.services import locality_team_for
from triage.models import QueueItem, RoutingRule, TriageDecision
from triage.selectors import response_target
from triage.services import is_out_of_hours, route_for

BATCH = 50_000
# More referrals by day than by night, as a front desk sees: weight per local hour 0..23.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1]
REFERRER_WEIGHTS = {"gp": 40, "professional": 20, "patient": 15, "carer": 10, "care_home": 5, "ward": 10}
PRIORITY_WEIGHTS = {"emergency": 5, "urgent": 35, "routine": 60}
# A transfer leaves the item waiting in another queue, so the generated decisions end triage.
OUTCOMES = ["accept", "refer_on", "signpost", "no_further_action"]
REFERRED_TO = ["Community mental health team", "Falls clinic", "Heart failure nurses", "Social care duty team"]
SIGNPOSTED_TO = ["Age UK befriending", "Carers' centre", "Citizens Advice", "Pharmacy first"]


def _unset(model, field):
    """What a column holds when the generator does not say: the field's default, NULL, or an error.

    Rows are built by field name, so a field added to a model later either gets its default or
    stops the command naming it, never a value shifted into the wrong column.
    """
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.blank and field.empty_strings_allowed:
        return ""  # Django's own default for an optional text field
    raise CommandError(
        f"generate_referrals does not fill {model.__name__}.{field.name}, which is required and has no "
        "default: give it a value in generate_referrals._batch"
    )


def _router():
    """``route_for(need, at=...)``, asked once per need and out-of-hours answer.

    route_for depends on the moment only through is_out_of_hours, so the same need in the same
    kind of hours goes to the same queue; is_out_of_hours is asked once per arrival moment.
    """
    out_of_hours = cache(is_out_of_hours)
    routes: dict[tuple, Any] = {}

    def route(need, at: datetime):
        key = (need.pk, out_of_hours(at))
        if key not in routes:
            routes[key] = route_for(need, at=at)[0]
        return routes[key]

    return route


def _rows_to_columns(model, rows: list[dict]) -> tuple[list[str], list[list]]:
    fields = model._meta.concrete_fields
    named = set().union(*rows)
    if unknown := named - {field.name for field in fields}:
        raise CommandError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    # Checked once per batch, before a row is written, for every field some row leaves out.
    unset = {field.name: _unset(model, field) for field in fields if any(field.name not in row for row in rows)}
    per_row = {name for name in unset if callable(model._meta.get_field(name).default)}  # uuid4: one each
    table = [
        [
            row[field.name]
            if field.name in row
            else (field.get_default() if field.name in per_row else unset[field.name])
            for field in fields
        ]
        for row in rows
    ]
    return [field.column for field in fields], table


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
        rules = list(RoutingRule.objects.select_related("queue", "need").filter(queue__is_active=True))
        handler = User.objects.filter(role=User.Role.CALL_HANDLER).first()
        clinician = User.objects.filter(role=User.Role.DUTY_CLINICIAN).first()
        if not (rules and handler and clinician):
            raise CommandError(
                "Needs routing rules, a call handler and a duty clinician: run manage.py demo_data first"
            )

        setting = {
            "needs": [rule.need for rule in rules],
            "practices": list(Organisation.objects.filter(kind=Organisation.Kind.GP_PRACTICE).order_by("pk")),
            # Intake's own decisions, each asked once for its inputs.
            "route": _router(),
            "team": cache(lambda practice: locality_team_for(Patient(gp_practice=practice))),
            "target": cache(lambda queue, priority: response_target(queue=queue, priority=priority)),
        }
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
                try:
                    tables = self._batch(made, size, count, first_ids, setting, handler.pk, clinician.pk, now, days)
                except ValidationError as error:  # intake would refuse it too: say why
                    raise CommandError(f"Intake refuses a generated referral: {'; '.join(error.messages)}") from error
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

    def _batch(self, offset, size, count, first_ids, setting, handler_id, clinician_id, now, days) -> dict:
        zone = timezone.get_current_timezone()
        hours = list(range(24))
        referrer_types, referrer_weights = zip(*REFERRER_WEIGHTS.items())
        priorities, priority_weights = zip(*PRIORITY_WEIGHTS.items())
        needs, practices = setting["needs"], setting["practices"]
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
            # On the quarter hour: out of hours or not is asked once per moment (see _router).
            local = midnight + timedelta(hours=chosen_hours[n], minutes=15 * random.randrange(4))
            received = min(local, (now - timedelta(minutes=1)).replace(second=0, microsecond=0))
            need = needs[number % len(needs)]
            queue = setting["route"](need, received)
            practice = practices[number % len(practices)] if practices else None
            patients.append(
                {
                    "id": patient_id,
                    "given_name": "Generated",
                    "family_name": f"Patient{patient_id}",
                    "date_of_birth": date(1950, 1, 1),
                    "gp_practice": practice.pk if practice else None,
                    "gp_practice_name": practice.name if practice else "",
                    "created_at": received,
                }
            )
            # As referral_create: the locality team of the patient's practice when the need asks for one.
            team, warning = setting["team"](practice) if need.allocate_to_locality_team else (None, "")
            referrals.append(
                {
                    "id": referral_id,
                    "patient": patient_id,
                    "referrer_type": chosen_types[n],
                    "referrer_name": "Generated referrer",
                    "referring_practice": practice.pk if practice and chosen_types[n] == "gp" else None,
                    "need": need.pk,
                    "reason": "Generated for a benchmark",
                    "received_at": received,
                    "received_by": handler_id,
                    "idempotency_key": f"perf-{referral_id}",
                    "allocated_team": team.pk if team else None,
                    "allocation_warning": warning,
                }
            )
            # Everything older than a day has been triaged; newer ones are waiting or being triaged.
            age = now - received
            minutes = random.lognormvariate(4.0, 0.8)  # median about 55 minutes, a long tail
            decided = received + timedelta(minutes=minutes)
            if age > timedelta(days=1) or decided < now - timedelta(hours=2):
                status, claimed_by, claimed_at = "triaged", clinician_id, decided - timedelta(minutes=minutes / 3)
                triaged_at, triaged_priority = decided, chosen_priorities[n]  # as QueueItem.triaged
                decisions.append(
                    self._decision(
                        first_ids[TriageDecision] + len(decisions) + offset,
                        item_id,
                        setting["target"](queue, chosen_priorities[n]),
                        chosen_priorities[n],
                        OUTCOMES[number % len(OUTCOMES)],
                        clinician_id,
                        decided,
                        now,
                    )
                )
            else:
                status, claimed_by, claimed_at = "waiting", None, None
                triaged_at, triaged_priority = None, ""
            # notified_at is set, so the notification sweep leaves these alone.
            items.append(
                {
                    "id": item_id,
                    "referral": referral_id,
                    "queue": queue.pk,
                    "status": status,
                    "routed_at": received,
                    "due_at": received + queue.triage_target,  # as queue_item_create
                    "claimed_by": claimed_by,
                    "claimed_at": claimed_at,
                    "notified_at": received,
                    "triaged_at": triaged_at,
                    "triaged_priority": triaged_priority,
                }
            )
        return {Patient: patients, Referral: referrals, QueueItem: items, TriageDecision: decisions}

    @staticmethod
    def _decision(pk, item_id, target, priority, outcome, clinician_id, decided, now) -> dict:
        """A decision as triage_decision_record makes it: each outcome names what it needs and only that."""
        row = {
            "id": pk,
            "queue_item": item_id,
            "priority": priority,
            "outcome": outcome,
            "clinical_note": "Generated",
            "decided_by": clinician_id,
            "decided_at": decided,
        }
        if outcome == TriageDecision.Outcome.REFER_ON:
            row["referred_to"] = random.choice(REFERRED_TO)
        elif outcome == TriageDecision.Outcome.SIGNPOST:
            row["signposted_to"] = random.choice(SIGNPOSTED_TO)
        elif outcome == TriageDecision.Outcome.ACCEPT:
            if target is not None:
                minutes = target.response_minutes
                row["respond_by"] = decided + timedelta(minutes=minutes)
                # The rapid response team got there, mostly in time, unless it is still on its way.
                responded = decided + timedelta(minutes=minutes * random.uniform(0.3, 1.2))
                if responded < now:
                    row["first_response_at"], row["first_response_by"] = responded, clinician_id
        return row

    def _copy(self, cursor, model, rows: list[dict]) -> None:
        if not rows:
            return
        column_names, rows = _rows_to_columns(model, rows)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow(["\\N" if value is None else value for value in row])
        buffer.seek(0)
        columns = ", ".join(column_names)
        # psycopg2's cursor under Django's wrapper.
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
        )

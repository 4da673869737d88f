"""Bulk loading for the benchmark data generators: rows as dicts by field name, written with COPY.

PostgreSQL only. Rows are dicts by field name; every column a generator does not name gets the
field's default (or NULL, or "" for optional text), and a required field with neither stops the
generator naming it, never a value shifted into the wrong column. Never on a live system: the
rows are written directly, without history or timelines.
"""

import csv
import io
import json
import os
import random
import threading
import time
import uuid
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from datetime import time as clock_time
from itertools import accumulate
from operator import itemgetter
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone


class MissingValue(Exception):
    """A required field a generator does not fill: the message names the model and the field."""


def _unset(model, field) -> Any:
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.blank and field.empty_strings_allowed:
        return ""  # Django's own default for an optional text field
    raise MissingValue(
        f"The generator does not fill {model.__name__}.{field.name}, which is required and has no default: "
        f"give it a value in {model._meta.app_label}/generate.py"
    )


# Random public ids for the rows, hex without dashes (PostgreSQL reads it as a uuid): uuid4() costs
# more than a row's other columns together. Seeded from the system, so two runs never collide.
_public_ids = random.Random(os.urandom(16))


NULL = "\\N"  # what COPY reads as NULL here; an empty field is an empty text


def _new_uuid() -> str:
    return f"{_public_ids.getrandbits(128) & ~(0xF << 76) | (4 << 76):032x}"


def rows_to_columns(model, rows: list[dict]) -> tuple[list[str], list[list]]:
    """The model's columns and each row's values in their order, defaults filled in."""
    fields = model._meta.concrete_fields
    named = set().union(*rows)
    if unknown := named - {field.name for field in fields}:
        raise MissingValue(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    # Checked once per batch, before a row is written, for every field some row leaves out.
    shapes = {tuple(row) for row in rows}  # a builder's rows share their keys: each shape is checked once
    unset = {field.name: _unset(model, field) for field in fields
             if any(field.name not in shape for shape in shapes)}
    # Per row: a callable default (a public id) gets a value of its own; JSON is written as JSON.
    makers = {field.name: _new_uuid if field.default is uuid.uuid4 else field.get_default
              for field in fields if field.name in unset and callable(field.default)}
    json_fields = {field.name for field in fields if isinstance(field, models.JSONField)}
    base = {name: json.dumps(value) if name in json_fields else value for name, value in unset.items()}
    json_named = [name for name in json_fields if name in named]
    columns = itemgetter(*(field.name for field in fields))
    table = []
    for row in rows:
        merged = {**base, **row}
        for name, make in makers.items():
            if name not in row:
                merged[name] = make()
        for name in json_named:
            merged[name] = json.dumps(merged[name])
        table.append([NULL if value is None else value for value in columns(merged)])
    return [field.column for field in fields], table


def copy_rows(model, rows: list[dict]) -> None:
    """Write ``rows`` of ``model`` with one COPY."""
    if not rows:
        return
    column_names, table = rows_to_columns(model, rows)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(table)
    buffer.seek(0)
    with connection.cursor() as cursor:
        # The links are checked once the load is done, set-wise (foreign_keys_check), not row by row at commit.
        cursor.execute("SET LOCAL session_replication_role = replica")
        # psycopg2's cursor under Django's wrapper.
        cursor.cursor.copy_expert(
            f"COPY {model._meta.db_table} ({', '.join(column_names)}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')",
            buffer,
        )


class Ids:
    """The next free integer id of each model, read once: rows carry their ids, so links are known before COPY."""

    def __init__(self) -> None:
        self._next: dict[Any, int] = {}
        self.before: dict[Any, int] = {}  # the last id each table had before

    def take(self, model, count: int = 1) -> int:
        """The first of ``count`` new ids of ``model``."""
        if model not in self._next:
            self.before[model] = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            self._next[model] = self.before[model] + 1
        first = self._next[model]
        self._next[model] += count
        return first


def sequences_reset(model_list) -> None:
    """Move each table's id sequence past the ids written by hand (integer ids only)."""
    with connection.cursor() as cursor:
        for model in model_list:
            if isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"
                )


def vacuum_analyze(model) -> None:
    """VACUUM sets the visibility map, which index-only scans need; it cannot run in a transaction."""
    with connection.cursor() as cursor:
        cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM ANALYZE'} {model._meta.db_table}")


def instance_row(instance: models.Model) -> dict:
    """An unsaved model instance as a row: every field by name, as the model's own defaults left it."""
    return {field.name: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


# Demand by local hour 0..23, weekday (Monday first) and month: more by day than by night, more on
# Mondays than at weekends, a winter peak (December to February) and a quieter summer.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1]
WEEKDAY_WEIGHTS = [1.2, 1.05, 1.0, 1.0, 1.05, 0.75, 0.7]
MONTH_WEIGHTS = [1.35, 1.25, 1.1, 1.0, 0.95, 0.9, 0.9, 0.85, 0.95, 1.0, 1.1, 1.3]


def demand_moments(rng, count: int, *, now, days: int, zone, step_minutes: int = 1) -> list:
    """``count`` moments over the last ``days`` days up to ``now``, skewed like real demand, oldest first.

    On a ``step_minutes`` grid, so a question asked per moment (out of hours or not) stays few.
    """
    first = (now - timedelta(days=days - 1)).astimezone(zone).date()
    dates = [first + timedelta(days=n) for n in range(days)]
    weights = list(accumulate(WEEKDAY_WEIGHTS[day.weekday()] * MONTH_WEIGHTS[day.month - 1] for day in dates))
    midnights = [timezone.make_aware(datetime.combine(day, clock_time.min), zone) for day in dates]
    chosen_days = rng.choices(range(days), cum_weights=weights, k=count)
    chosen_hours = rng.choices(range(24), HOUR_WEIGHTS, k=count)
    steps = 60 // step_minutes
    latest = (now - timedelta(minutes=1)).replace(second=0, microsecond=0)
    moments = [
        min(midnights[day] + timedelta(hours=hour, minutes=step_minutes * rng.randrange(steps)), latest)
        for day, hour in zip(chosen_days, chosen_hours, strict=True)
    ]
    moments.sort()
    return moments


def foreign_keys_check(model, *, after: Any = None) -> None:
    """Every link of ``model``'s rows (those with an id above ``after``) finds its row: the check
    COPY skipped, made once per link as a join rather than once per row."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        for field in model._meta.concrete_fields:
            if not field.is_relation or not field.db_constraint:
                continue
            target = field.target_field
            newer = f"AND c.{model._meta.pk.column} > %s" if after is not None else ""
            cursor.execute(
                f"SELECT count(*) FROM {table} c LEFT JOIN {target.model._meta.db_table} p "
                f"ON c.{field.column} = p.{target.column} WHERE c.{field.column} IS NOT NULL AND p.{target.column} "
                f"IS NULL {newer}",
                [after] if after is not None else [],
            )
            if missing := cursor.fetchone()[0]:
                raise MissingValue(f"{missing} {model.__name__} rows name a {field.name} that does not exist")


def secondary_indexes_drop(model_list) -> list[str]:
    """Drop the tables' plain indexes (not the primary keys, unique ones or constraints') and
    return their definitions: building an index once over a million rows is cheaper than
    keeping it up to date row by row. ``indexes_create`` puts them back."""
    definitions = []
    with connection.cursor() as cursor:
        # Index changes wait for no deferred check of rows written before in the same transaction.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for model in model_list:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [model._meta.db_table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                definitions.append(definition)
    return definitions


def indexes_create(definitions: list[str], *, threads: int = 0) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def create(definition: str):
        def task() -> None:
            with connection.cursor() as cursor:
                cursor.execute(definition)
        return task

    in_parallel([create(definition) for definition in definitions], threads)


class Writer:
    """Writes batches of tables, each batch in a transaction of its own: on ``threads`` connections
    of their own while the caller builds the next batch (PostgreSQL's work then runs beside
    Python's), or in line when ``threads`` is 0 or the caller is inside a transaction (a test's,
    whose rows other connections cannot see)."""

    def __init__(self, threads: int) -> None:
        self.threads = 0 if connection.in_atomic_block else threads
        self._pool = ThreadPoolExecutor(self.threads) if self.threads else None
        self._pending: deque[Future] = deque()
        self._lock = threading.Lock()
        self.seconds: dict[str, float] = defaultdict(float)  # COPY time per table, summed over the writers
        self.rows: dict[str, int] = defaultdict(int)

    def write(self, tables: dict) -> None:
        if self._pool is None:
            self._write(tables)
            return
        while len(self._pending) >= self.threads:  # at most one batch waiting per writer: memory stays bounded
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(self._in_thread, tables))

    def finish(self) -> None:
        """Wait for every batch handed over; a writer's error is raised here."""
        while self._pending:
            self._pending.popleft().result()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)

    def _in_thread(self, tables: dict) -> None:
        try:
            self._write(tables)
        finally:
            connection.close()  # this thread's own connection

    def _write(self, tables: dict) -> None:
        with transaction.atomic():
            for model, rows in tables.items():
                started = time.monotonic()
                copy_rows(model, rows)
                with self._lock:
                    self.seconds[model._meta.db_table] += time.monotonic() - started
                    self.rows[model._meta.db_table] += len(rows)


def in_parallel(tasks: list, threads: int) -> None:
    """Run database-bound ``tasks`` on ``threads`` connections of their own (in line inside a
    transaction, whose rows other connections cannot see). A task's error is raised here."""
    if threads < 2 or connection.in_atomic_block:
        for task in tasks:
            task()
        return

    def run(task) -> None:
        try:
            task()
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(run, task) for task in tasks]:
            future.result()

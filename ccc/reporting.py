"""What every reporting figure is asked for: a period of UK local time and a scope of duty queues.

Figures are plain selector functions ``(period, scope) -> rows`` that live in the app whose data
they read (``referrals/selectors.py``, ``triage/selectors.py``...). The dashboard lists them in
``reporting/figures.py``. These two types, and the database expressions figures share (minutes
between two times, percentiles on PostgreSQL and SQLite), are here in the project package so
that every app can use them without depending on the reporting app.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db import models
from django.db.models import Func, QuerySet
from django.utils import timezone


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    """Whole local days, ``first`` to ``last`` inclusive; ``start``/``end`` are the aware bounds [start, end)."""

    kind: PeriodKind
    first: date
    last: date

    @classmethod
    def around(cls, kind: PeriodKind, day: date, last: date | None = None) -> "Period":
        """The day, the week (Monday to Sunday) or the calendar month holding ``day``; or ``day`` to ``last``."""
        if kind == PeriodKind.DAY:
            return cls(kind, day, day)
        if kind == PeriodKind.WEEK:
            monday = day - timedelta(days=day.weekday())
            return cls(kind, monday, monday + timedelta(days=6))
        if kind == PeriodKind.MONTH:
            return cls(kind, day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1]))
        last = last or day
        if last < day:
            raise ValueError("The period ends before it starts")
        return cls(kind, day, last)

    @property
    def start(self) -> datetime:
        # make_aware in the current zone (Europe/London): a day has 23 or 25 hours at a clock change.
        return timezone.make_aware(datetime.combine(self.first, time.min))

    @property
    def end(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min))

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def label(self) -> str:
        if self.first == self.last:
            return self.first.strftime("%-d %B %Y")
        return f"{self.first.strftime('%-d %B %Y')} to {self.last.strftime('%-d %B %Y')}"


@dataclass(frozen=True)
class Scope:
    """The duty queues a figure counts: ``None`` is system-wide, a set is those queues only."""

    queue_ids: frozenset[int] | None
    label: str = "All organisations"

    def filter(self, queryset: QuerySet, queue_path: str) -> QuerySet:
        """Narrow ``queryset`` to this scope; ``queue_path`` leads from its model to the duty queue id."""
        if self.queue_ids is None:
            return queryset
        return queryset.filter(**{f"{queue_path}__in": self.queue_ids})


class MinutesBetween(Func):
    """Minutes from ``start`` to ``end`` (two timestamps), as a float, computed by the database."""

    output_field = models.FloatField()
    arity = 2

    def _compiled(self, compiler):
        start, end = (compiler.compile(expression) for expression in self.source_expressions)
        return start, end

    def as_postgresql(self, compiler, connection, **extra):
        (start_sql, start_params), (end_sql, end_params) = self._compiled(compiler)
        return f"(EXTRACT(EPOCH FROM ({end_sql} - {start_sql})) / 60.0)", (*end_params, *start_params)

    def as_sqlite(self, compiler, connection, **extra):
        (start_sql, start_params), (end_sql, end_params) = self._compiled(compiler)
        return f"((julianday({end_sql}) - julianday({start_sql})) * 1440.0)", (*end_params, *start_params)

    def as_sql(self, compiler, connection, **extra):
        raise NotImplementedError(f"MinutesBetween is written for PostgreSQL and SQLite, not {connection.vendor}")


class Percentile(models.Aggregate):
    """The continuous percentile (``fraction`` 0 to 1) of a numeric expression, in the database.

    PostgreSQL has ``percentile_cont``. SQLite has none: ``reporting`` registers an aggregate
    of the same meaning (linear interpolation between the closest ranks) on every SQLite
    connection, so the figure stays one query on both.
    """

    name = "Percentile"
    output_field = models.FloatField()

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction is between 0 and 1")
        self.fraction = fraction
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        filter_sql = ""
        filter_params: tuple = ()
        if self.filter is not None:
            where_sql, filter_params = compiler.compile(self.filter)
            filter_sql = f" FILTER (WHERE {where_sql})"
        return (
            f"percentile_cont({float(self.fraction)}) WITHIN GROUP (ORDER BY {sql}){filter_sql}",
            (*params, *filter_params),
        )

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.filter is not None:
            where_sql, filter_params = compiler.compile(self.filter)
            sql, params = f"CASE WHEN {where_sql} THEN {sql} ELSE NULL END", (*filter_params, *params)
        return f"ccc_percentile_cont({sql}, {float(self.fraction)})", params


class SQLitePercentileCont:
    """``percentile_cont`` for SQLite, registered as the aggregate ``ccc_percentile_cont(value, fraction)``."""

    def __init__(self) -> None:
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction) -> None:
        self.fraction = fraction
        if value is not None:
            self.values.append(value)

    def finalize(self) -> float | None:
        return percentile_cont(self.values, self.fraction)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: interpolate between the two closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """On each new SQLite connection (the demo), add the aggregates PostgreSQL has built in."""
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("ccc_percentile_cont", 2, SQLitePercentileCont)

"""Watching the SQL a piece of work costs without Django's query log (which DEBUG off does not keep,
and which would format every bulk INSERT's thousands of values): the number of statements, and the
slowest SELECT with its parameters, which the place benchmark runs again on its own."""

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection


@dataclass
class QueryWatch:
    count: int = 0
    slowest_seconds: float = 0.0
    slowest_sql: str | None = None
    slowest_params: object = field(default=None)

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if many or not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            if took > self.slowest_seconds:
                self.slowest_seconds, self.slowest_sql, self.slowest_params = took, sql, params


@contextmanager
def query_watch():
    """``with query_watch() as watch:`` ... then ``watch.count``, ``watch.slowest_sql``."""
    watch = QueryWatch()
    with connection.execute_wrapper(watch):
        yield watch

"""The place benchmark (issue 15): every operation of the issue's table through gunicorn.

    python manage.py place_benchmark [--runs 30] [--json FILE] [--password P [--second-factor-secret S]]
        [--throughput-seconds 10] [--sweep-due 1000] [--sweep-open 0]

Against the database this process uses (DATABASE_URL), starts gunicorn with 2 workers and DEBUG off
on a free port (``ccc/settings_benchmark.py``), logs the demo people in (callhandler, toc, manager
with their authenticator code, and a clinician of the largest queue; without ``--password`` their
sessions are made in the database, as a test's ``force_login`` does) and times, after 2 warm-up
runs, each operation N times: p50, p95, queries per answer and the ratio to the raw SQL of its main
query (the answer's slowest SELECT) timed in the same run. Then each list against a minimal Django
view of the same rows (goal: at most 3 times), the queue page over the queues with the most and
the fewest open items (goal: within 1.5 times), the queue API with 8 connections at once (answers
a second) and, in this process, the escalation sweep over ``--sweep-due`` due clocks among the open
ones (rolled back). Prints a markdown table with the goals and MET/MISSED and the 1-minute load
average; ``--json FILE`` writes the same figures. Referral create adds real referrals.
"""

import json
import os
import statistics
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from ccc.models import User
from discharge.models import RegisterEntry
from escalations.management.commands.escalations_benchmark import sweep_measure
from escalations.models import Clock
from referrals.models import Contact, Referral
from reporting.benchmark.client import Person, gunicorn, log_in
from reporting.benchmark.operations import Place, operations, sql_p50, throughput, timed
from triage.models import QueueItem
from triage.selectors import OPEN

LIST_RATIO = 3.0  # a list's median against a minimal view of the same rows
QUEUE_SIZE_RATIO = 1.5  # the queue page, the longest queue against the shortest
THROUGHPUT_GOAL = 500  # answers a second, queue API, 8 connections
SWEEP_GOAL_MS = 2000


def verdict(value: float | None, goal: float | None) -> str:
    if value is None or goal is None:
        return ""
    return "MET" if value <= goal else "MISSED"


class Command(BaseCommand):
    help = "Time every operation of issue 15's table through gunicorn (2 workers, DEBUG off): p50, p95, queries."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--runs", type=int, default=30, help="Timed runs per operation, after 2 warm-up runs")
        parser.add_argument("--json", help="Write the figures to this file too")
        parser.add_argument("--password", default="", help="The demo people's password (else sessions are made)")
        parser.add_argument("--second-factor-secret", default="", help="The managers' authenticator secret (base32)")
        parser.add_argument("--throughput-seconds", type=float, default=10)
        parser.add_argument("--sweep-due", type=int, default=1000, help="Due clocks the sweep fires (rolled back)")
        parser.add_argument("--sweep-open", type=int, default=0, help="Throwaway open clocks added to the place's own")

    def handle(self, *args: Any, runs: int, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The place benchmark runs on PostgreSQL")
        try:
            place = Place.now()
        except LookupError as error:
            raise CommandError(str(error)) from None
        figures: dict = {"when": timezone.now().isoformat(timespec="seconds"), "database": connection.settings_dict["NAME"],
                         "runs": runs, "load_average_start": os.getloadavg()[0], "data": self._data()}
        log = Path(tempfile.mkdtemp(prefix="ccc-placebench-")) / "gunicorn.log"
        try:
            with gunicorn(workers=2, log=log) as port:
                try:
                    people = self._people(port, place, options)
                except ObjectDoesNotExist as error:
                    raise CommandError(f"{error}: the demo people and the manager's authenticator are needed "
                                       "(manage.py demo_data)") from None
                figures["operations"] = self._operations(people, place, runs)
                figures["queue_sizes"] = self._queue_sizes(people["manager"], place, runs)
                figures["throughput"] = throughput(people["clinician"], f"/api/v1/queues/{place.queue.code}/items/",
                                                   connections=8, seconds=options["throughput_seconds"])
                figures["throughput"]["result"] = "MET" if figures["throughput"]["per_second"] >= THROUGHPUT_GOAL else "MISSED"
        except RuntimeError as error:
            raise CommandError(f"{error} (gunicorn's log: {log})") from None
        figures["sweep"] = self._sweep(options["sweep_due"], options["sweep_open"], runs)
        figures["load_average_end"] = os.getloadavg()[0]
        self.stdout.write(markdown(figures))
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(figures, indent=2, default=str))

    def _data(self) -> dict:
        return {
            "referrals": Referral.objects.count(), "contacts": Contact.objects.count(),
            "open queue items": QueueItem.objects.filter(status__in=OPEN).count(),
            "open clocks": Clock.objects.filter(state=Clock.State.OPEN).count(),
            "Transfer of Care entries open": RegisterEntry.objects.filter(status=RegisterEntry.Status.OPEN).count(),
        }

    def _people(self, port: int, place: Place, options: dict) -> dict[str, Person]:
        secrets = {"password": options["password"], "second_factor_secret": options["second_factor_secret"]}
        people = {name: log_in(port, User.objects.get(username=name), **secrets) for name in ("callhandler", "toc", "manager")}
        people["clinician"] = log_in(port, place.clinician, **secrets)
        said = StringIO()
        call_command("drf_create_token", "callhandler", stdout=said)  # "Generated token <key> for user ..."
        token = said.getvalue().split()[2]
        people["api"] = Person(port, headers={"Authorization": f"Token {token}"})
        people["anonymous"] = Person(port)
        return people

    def _operations(self, people: dict[str, Person], place: Place, runs: int) -> list[dict]:
        rows = []
        for operation in operations(place):
            row = {"operation": operation.name, "goal_p95_ms": operation.goal_ms,
                   **timed(people[operation.person], operation.request, runs)}
            row["sql_p50_ms"] = sql_p50(row["sql"], runs)
            row["x_sql"] = row["p50_ms"] / row["sql_p50_ms"] if row["sql_p50_ms"] else None
            row["result"] = verdict(row["p95_ms"], operation.goal_ms)
            if operation.minimal:
                minimal = timed(people["anonymous"], lambda n, path=operation.minimal: ("GET", f"/_bench/rows/{path}", None), runs)
                row["minimal_p50_ms"] = minimal["p50_ms"]
                row["x_minimal"] = row["p50_ms"] / minimal["p50_ms"]
                row["minimal_result"] = verdict(row["x_minimal"], LIST_RATIO)
            rows.append(row)
        return rows

    def _queue_sizes(self, manager: Person, place: Place, runs: int) -> dict:
        (long_code, long_open), (short_code, short_open) = place.queues_by_size[0], place.queues_by_size[-1]
        longest = timed(manager, lambda n: ("GET", f"/queues/{long_code}/", None), runs)
        shortest = timed(manager, lambda n: ("GET", f"/queues/{short_code}/", None), runs)
        ratio = longest["p50_ms"] / shortest["p50_ms"]
        return {"longest": {"queue": long_code, "open": long_open, **longest},
                "shortest": {"queue": short_code, "open": short_open, **shortest},
                "ratio": ratio, "result": verdict(ratio, QUEUE_SIZE_RATIO)}

    def _sweep(self, due: int, open_count: int, runs: int) -> dict:
        # Nothing leaves the machine: the escalations' e-mails go to memory (and are rolled back with the rest).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            sweep = sweep_measure(open_count=open_count, due_count=due, sql_runs=runs)
        ms = sweep["seconds"] * 1000
        sql = statistics.median(sweep["sql_ms"]) if sweep["sql_ms"] else None
        return {"due": sweep["due"], "open": sweep["open"], "clocks": sweep["clocks"], "steps": sweep["steps"], "ms": ms,
                "queries": sweep["queries"], "queries_per_clock": sweep["queries"] / max(sweep["due"], 1),
                "sql_p50_ms": sql, "x_sql": ms / sql if sql else None, "sql": sweep["sql"],
                "result": verdict(ms, SWEEP_GOAL_MS)}


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:,.1f}"


def markdown(f: dict) -> str:
    data = ", ".join(f"{count:,} {name}" for name, count in f["data"].items())
    lines = [
        f"Place benchmark, {f['when']}, database {f['database']}: {data}. gunicorn 2 workers, DEBUG off; "
        f"{f['runs']} runs each after 2 warm-up runs.",
        f"Load average (1 min): {f['load_average_start']:.2f} at the start, {f['load_average_end']:.2f} at the end.",
        "",
        "| operation | p50 ms | p95 ms | queries | KB | main SQL p50 ms | × SQL | goal p95 ms | result |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in f["operations"]:
        lines.append(f"| {row['operation']} | {_ms(row['p50_ms'])} | {_ms(row['p95_ms'])} | {row['queries']} | "
                     f"{row['kb']:,.0f} | {_ms(row['sql_p50_ms'])} | {_ms(row['x_sql'])} | {row['goal_p95_ms']:,} | "
                     f"{row['result']} |")
    s = f["sweep"]
    lines.append(f"| escalation sweep, {s['due']:,} due among {s['open']:,} open ({s['clocks']:,} of them the benchmark's) | {_ms(s['ms'])} | | "
                 f"{s['queries_per_clock']:.3f} a clock | | {_ms(s['sql_p50_ms'])} | {_ms(s['x_sql'])} | "
                 f"{SWEEP_GOAL_MS:,} | {s['result']} |")
    t = f["throughput"]
    lines += [
        f"| queue API throughput, 8 connections | {_ms(t['p50_ms'])} | | | | | | {THROUGHPUT_GOAL} req/s | "
        f"{t['result']}: {t['per_second']:,.0f} req/s ({t['failed']} failed) |",
        "", "| list | p50 ms | minimal view p50 ms | × minimal | goal | result |", "|---|---:|---:|---:|---:|---|",
    ]
    for row in f["operations"]:
        if "x_minimal" in row:
            lines.append(f"| {row['operation']} | {_ms(row['p50_ms'])} | {_ms(row['minimal_p50_ms'])} | "
                         f"{row['x_minimal']:.2f} | ≤ {LIST_RATIO:g}× | {row['minimal_result']} |")
    q = f["queue_sizes"]
    lines += ["", "| queue page (manager) | open items | p50 ms | p95 ms | goal | result |", "|---|---:|---:|---:|---:|---|"]
    for which in ("shortest", "longest"):
        lines.append(f"| {q[which]['queue']} | {q[which]['open']:,} | {_ms(q[which]['p50_ms'])} | "
                     f"{_ms(q[which]['p95_ms'])} | | |")
    lines.append(f"| longest / shortest | | {q['ratio']:.2f}× | | ≤ {QUEUE_SIZE_RATIO}× | {q['result']} |")
    return "\n".join(lines)

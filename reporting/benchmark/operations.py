"""The place benchmark's operations (issue 15's table), what each is measured on, and how.

Each operation is a request a person makes (through gunicorn), timed from the client: p50 and p95
(nearest rank) over N runs after 2 warm-up runs, the queries of each answer (``X-Query-Count``)
and the raw SQL of its main query, taken to be the SELECT most often the slowest of its answers
(``X-Slowest-Query``), run again on its own through this process's connection, N times, in the
same run.
"""

import base64
import statistics
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from ccc.models import User
from referrals.models import Referral
from reporting.benchmark.client import Answer, Person
from reporting.management.commands.benchmark_dashboard import p95
from triage.models import DutyQueue
from triage.selectors import OPEN

# Request: (method, path, JSON body or None) for run number n.
Request = Callable[[int], tuple[str, str, dict | None]]


@dataclass
class Operation:
    name: str
    person: str
    request: Request
    goal_ms: float | None
    minimal: str = ""  # the /_bench/rows/ view serving the same rows, for a list


@dataclass
class Place:
    """What the operations ask for, picked from the data: the largest queue and one of its clinicians,
    the newest referral (its patient, need), the smallest and largest queues with items open."""

    queue: DutyQueue
    clinician: User
    referral: Referral
    queues_by_size: list[tuple[str, int]] = field(default_factory=list)

    @classmethod
    def now(cls) -> "Place":
        sizes = list(
            DutyQueue.objects.annotate(open=Count("items", filter=Q(items__status__in=OPEN)))
            .filter(open__gt=0).order_by("-open", "code").values_list("code", "open")
        )
        if not sizes:
            raise LookupError("No queue has an open item: load data first (demo_data, generate_place)")
        queue = DutyQueue.objects.get(code=sizes[0][0])
        clinician = queue.clinicians.filter(is_active=True).order_by("username").first()
        referral = (
            Referral.objects.select_related("patient", "need").exclude(patient__nhs_number="")
            .filter(need__is_active=True, patient__nhs_number__isnull=False).order_by("-pk").first()
        )
        if clinician is None or referral is None:
            raise LookupError(f"The queue {queue.code} needs a clinician, and a patient with an NHS number a referral")
        return cls(queue=queue, clinician=clinician, referral=referral, queues_by_size=sizes)


def operations(place: Place) -> list[Operation]:
    code, patient, referral = place.queue.code, place.referral.patient, place.referral
    named = f"name={patient.family_name}&date_of_birth={patient.date_of_birth:%Y-%m-%d}"
    body = {"patient": str(patient.public_id), "need": referral.need.code, "referrer_type": "gp",
            "referrer_name": "Dr Benchmark", "reason": "Place benchmark referral"}

    def get(path: str) -> Request:
        return lambda n: ("GET", path, None)

    return [
        Operation("queue API, first 50", "clinician", get(f"/api/v1/queues/{code}/items/"), 10,
                  f"queue-items/?queue={code}&limit=50"),
        Operation("queue page", "clinician", get(f"/queues/{code}/"), 25, f"queue-items/?queue={code}&limit=50"),
        Operation("patient by NHS number, API", "callhandler", get(f"/api/v1/patients/?nhs_number={patient.nhs_number}"), 5),
        Operation("patient by NHS number, page", "callhandler", get(f"/referrals/new/?nhs_number={patient.nhs_number}"), 15),
        Operation("patient by name and date of birth, API", "callhandler", get(f"/api/v1/patients/?{named}"), 20,
                  f"patients/?{named}"),
        Operation("referral create, API", "api", lambda n: ("POST", "/api/v1/referrals/", body), 30),
        Operation("referral detail, API", "callhandler", get(f"/api/v1/referrals/{referral.public_id}/"), 15),
        Operation("referral detail, page", "callhandler", get(f"/referrals/{referral.public_id}/"), 15),
        Operation("Transfer of Care board", "toc", get("/toc/"), 30, "board/"),
        Operation("dashboard, a month", "manager", get(f"/dashboard/?period=month&date={timezone.localdate()}"), 300),
        Operation("directory search page", "callhandler", get("/directory/?text=befriending"), 50,
                  "services/?text=befriending"),
    ]


def send(person: Person, request: Request, n: int) -> Answer:
    method, path, body = request(n)
    if body is None:
        return person.send(method, path)
    return person.post_json(path, body, **{"Idempotency-Key": f"place-benchmark-{uuid.uuid4().hex}"})


def timed(person: Person, request: Request, runs: int) -> dict:
    """2 warm-up runs, then ``runs`` timed ones: p50, p95, the most queries an answer cost, its size."""
    answers = [send(person, request, n) for n in range(runs + 2)]
    failed = [answer for answer in answers if answer.status not in (200, 201)]
    if failed:
        raise RuntimeError(f"{request(0)[1]} answered {failed[0].status}: {failed[0].body[:300]!r}")
    times = [answer.ms for answer in answers[2:]]
    figures = {"p50_ms": statistics.median(times), "p95_ms": p95(times), "kb": len(answers[-1].body) / 1024}
    counts = [int(answer.headers["x-query-count"]) for answer in answers[2:] if "x-query-count" in answer.headers]
    figures["queries"] = max(counts) if counts else None
    # The main query: the one most often slowest (one answer's slowest can be any query that waited for a core).
    slowest = Counter(answer.headers["x-slowest-query"] for answer in answers[2:] if "x-slowest-query" in answer.headers)
    figures["sql"] = base64.b64decode(slowest.most_common(1)[0][0]).decode() if slowest else ""
    return figures


def sql_p50(sql: str, runs: int) -> float | None:
    """The main query alone, through this process's connection: median of ``runs`` after one warm-up."""
    if not sql:
        return None
    times = []
    with connection.cursor() as cursor:
        for n in range(runs + 1):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            if n:
                times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def throughput(person: Person, path: str, *, connections: int, seconds: float) -> dict:
    """``connections`` clients asking for ``path`` back to back for ``seconds``: answers a second."""
    done: list[tuple[int, float]] = []
    deadline = time.monotonic() + seconds

    def client() -> None:
        own = person.copy()
        while time.monotonic() < deadline:
            answer = own.get(path)
            done.append((answer.status, answer.ms))

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    ok = [ms for status, ms in done if status == 200]
    return {"per_second": len(ok) / elapsed, "answers": len(done), "failed": len(done) - len(ok),
            "p50_ms": statistics.median(ok) if ok else None}

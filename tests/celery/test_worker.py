"""A real Celery worker, against real Redis, telling queues about new referrals.

The worker runs as a separate process reading the test database, so these tests commit
their data (transactional_db).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests import factories
from triage.models import QueueItem

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def env_for(redis_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ccc.settings",
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CCC_CELERY_QUEUE": settings.CELERY_TASK_DEFAULT_QUEUE,
        **extra,
    }


def start_worker(redis_url: str, tmp_path: Path, *, beat: bool = False, **extra: str) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "ccc", "worker", "--pool=solo", "--loglevel=INFO",
        "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]
    if beat:
        command += ["--beat", "--schedule", str(tmp_path / "beat-schedule")]
    log = open(tmp_path / "worker.log", "w")
    return subprocess.Popen(command, cwd=ROOT, env=env_for(redis_url, **extra), stdout=log, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_notified(item: QueueItem, tmp_path: Path, timeout: float = 45) -> QueueItem:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        item.refresh_from_db()
        if item.notified_at:
            return item
        time.sleep(0.25)
    pytest.fail("the worker never notified the queue; its log:\n" + (tmp_path / "worker.log").read_text()[-4000:])


def test_a_real_worker_notifies_the_queue_after_the_referral_commits(falls, call_handler, clinician, tmp_path):
    worker = start_worker(settings.CELERY_BROKER_URL, tmp_path)
    try:
        referral = factories.referral(need=falls, actor=call_handler)
        item = wait_until_notified(referral.queue_item, tmp_path)
    finally:
        stop(worker)

    assert referral.timeline.filter(kind="notified").count() == 1
    assert "notify_queue_item" in (tmp_path / "worker.log").read_text()
    assert item.notified_at >= item.routed_at


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of this test's own, so it can be stopped without touching anyone else's."""

    def __init__(self, tmp_path: Path):
        self.port = free_port()
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    yield redis
    redis.stop()


INTAKE = """
import time, uuid
from ccc.models import User
from referrals.models import NeedCategory, Patient
from referrals.services import referral_create
started = time.monotonic()
referral, created = referral_create(
    actor=User.objects.get(pk={user}), idempotency_key=uuid.uuid4().hex,
    patient=Patient.objects.get(pk={patient}), need=NeedCategory.objects.get(pk={need}),
    referrer_type="gp", referrer_name="Dr Down", reason="Broker is down")
print(referral.pk, created, round(time.monotonic() - started, 1))
"""


def test_intake_works_while_redis_is_down_and_the_sweep_catches_up(falls, call_handler, clinician, private_redis, tmp_path):
    patient = factories.patient()
    # Redis is not running: the referral must still be saved, and quickly.
    intake = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", INTAKE.format(user=call_handler.pk, patient=patient.pk, need=falls.pk)],
        cwd=ROOT, env=env_for(private_redis.url), capture_output=True, text=True, timeout=120,
    )
    assert intake.returncode == 0, intake.stderr
    referral_id, created, seconds = intake.stdout.strip().splitlines()[-1].split()
    assert created == "True"
    # A cold process's first referral, imports included: the broker used to add 6 s (docs/PERFORMANCE.md).
    assert float(seconds) < 3
    item = QueueItem.objects.get(referral_id=referral_id)
    assert item.notified_at is None

    # Redis comes back; beat's sweep finds the item the lost task would have notified.
    private_redis.start()
    worker = start_worker(private_redis.url, tmp_path, beat=True, CCC_SWEEP_SECONDS="1", CCC_NOTIFY_GRACE_SECONDS="0")
    try:
        wait_until_notified(item, tmp_path)
    finally:
        stop(worker)
    assert item.referral.timeline.filter(kind="notified").count() == 1

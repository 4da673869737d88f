"""The escalation engine under a real Celery worker and beat, against real Redis.

Beat asks every second; the due times live in PostgreSQL, so a killed worker or a stopped
Redis loses nothing: the next run fires what came due, once.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import Count, F
from django.utils import timezone

from escalations.models import Clock, Escalation, Notification
from tests import factories
from tests.celery.test_worker import ROOT, env_for, private_redis  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

# Each overdue referral owes the warning and the four rungs of physical_ladder (the duty lead skipped).
STEPS_PER_REFERRAL = 5


def start_engine(redis_url: str, tmp_path: Path, name: str, **extra: str) -> subprocess.Popen:
    """A worker with embedded beat polling every second, in a session of its own so that it
    and its beat process can be killed together."""
    command = [
        sys.executable, "-m", "celery", "-A", "ccc", "worker", "--pool=solo", "--loglevel=INFO",
        "-Q", settings.CELERY_TASK_DEFAULT_QUEUE, "--without-gossip", "--without-mingle", "--without-heartbeat",
        "--beat", "--schedule", str(tmp_path / f"{name}-beat-schedule"),
    ]
    log = open(tmp_path / f"{name}.log", "w")
    env = env_for(redis_url, CCC_ESCALATION_SECONDS="1", CCC_SWEEP_SECONDS="3600", **extra)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def kill(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for(condition, tmp_path: Path, name: str, timeout: float = 90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out; the {name} log:\n" + (tmp_path / f"{name}.log").read_text()[-4000:])


def overdue_referrals(falls, call_handler, count: int):
    received = timezone.now() - timedelta(hours=3)  # target 2 h, top rung at 2 h 45 min
    referrals = [factories.referral(need=falls, actor=call_handler, received_at=received) for _ in range(count)]
    as_if_recorded_on_time()
    return referrals


def as_if_recorded_on_time() -> None:
    """Clocks as they would be had their items been recorded when received and no poller run since:
    every rung came due in its turn. (Recorded already overdue, an item starts at the first rung now.)"""
    Clock.objects.update(next_rung_at=F("due_at"), next_action_at=F("warn_at"))  # physical_ladder: first rung at due


def assert_each_step_fired_once(referrals, clinician, manager, on_call_manager):
    per_clock = dict(Escalation.objects.values_list("clock").annotate(n=Count("pk")))
    assert sorted(per_clock.values()) == [STEPS_PER_REFERRAL] * len(referrals)
    for person in (clinician, manager, on_call_manager):
        assert Notification.objects.filter(recipient=person).count() == len(referrals)
    for referral in referrals:
        kinds = list(referral.timeline.values_list("kind", flat=True))
        assert kinds.count("warned") == 1 and kinds.count("escalated") == 4


def test_beat_and_a_real_worker_fire_an_escalation(physical_ladder, falls, call_handler, clinician, manager,
                                                   on_call_manager, tmp_path):
    referrals = overdue_referrals(falls, call_handler, 1)
    worker = start_engine(settings.CELERY_BROKER_URL, tmp_path, "worker")
    try:
        wait_for(lambda: Escalation.objects.count() == STEPS_PER_REFERRAL, tmp_path, "worker")
        time.sleep(1.5)  # a second beat tick finds nothing more to do
    finally:
        kill(worker, signal.SIGTERM)

    assert_each_step_fired_once(referrals, clinician, manager, on_call_manager)
    assert "escalations.tasks.fire_due_escalations" in (tmp_path / "worker.log").read_text()
    assert Clock.objects.get().next_action_at is None


def test_a_worker_killed_mid_run_loses_and_doubles_nothing(physical_ladder, falls, call_handler, clinician, manager,
                                                           on_call_manager, tmp_path):
    referrals = overdue_referrals(falls, call_handler, 4)
    # Slowed: each rung takes 0.4 s inside its clock's transaction (a batch of one clock), so
    # the kill lands in one.
    first = start_engine(settings.CELERY_BROKER_URL, tmp_path, "first", CCC_ESCALATION_FIRE_DELAY_SECONDS="0.4",
                         CCC_ESCALATION_BATCH_SIZE="1")
    try:
        wait_for(lambda: Escalation.objects.count() >= STEPS_PER_REFERRAL, tmp_path, "first")
        time.sleep(0.6)  # into the next clock's transaction
    finally:
        kill(first, signal.SIGKILL)

    fired_before = Escalation.objects.count()
    assert fired_before < STEPS_PER_REFERRAL * len(referrals), "the kill came after the run ended"
    # What the killed worker had not committed is gone whole: no clock is half-escalated.
    per_clock = Escalation.objects.values_list("clock").annotate(n=Count("pk")).values_list("n", flat=True)
    assert set(per_clock) <= {STEPS_PER_REFERRAL}

    second = start_engine(settings.CELERY_BROKER_URL, tmp_path, "second")
    try:
        wait_for(lambda: Escalation.objects.count() == STEPS_PER_REFERRAL * len(referrals), tmp_path, "second")
        time.sleep(1.5)
    finally:
        kill(second, signal.SIGTERM)

    assert_each_step_fired_once(referrals, clinician, manager, on_call_manager)


INTAKE = """
import time, uuid
from datetime import timedelta
from django.utils import timezone
from ccc.models import User
from referrals.models import NeedCategory, Patient
from referrals.services import referral_create
for _ in range({count}):
    started = time.monotonic()
    referral, created = referral_create(
        actor=User.objects.get(pk={user}), idempotency_key=uuid.uuid4().hex,
        patient=Patient.objects.get(pk={patient}), need=NeedCategory.objects.get(pk={need}),
        referrer_type="gp", referrer_name="Dr Down", reason="Broker is down",
        received_at=timezone.now() - timedelta(hours=3))
    print(referral.pk, created, round(time.monotonic() - started, 1))
"""


def test_referrals_made_while_redis_is_down_escalate_once_it_is_back(
    physical_ladder, falls, call_handler, clinician, manager, on_call_manager, private_redis, tmp_path  # noqa: F811
):
    patient = factories.patient()
    # Redis is not running: the referrals are saved with their clocks, quickly.
    script = INTAKE.format(count=2, user=call_handler.pk, patient=patient.pk, need=falls.pk)
    intake = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=env_for(private_redis.url), capture_output=True, text=True, timeout=120,
    )
    assert intake.returncode == 0, intake.stderr
    lines = [line.split() for line in intake.stdout.strip().splitlines()[-2:]]
    assert all(created == "True" and float(seconds) < 10 for _, created, seconds in lines)
    assert Clock.objects.count() == 2 and not Escalation.objects.exists()
    as_if_recorded_on_time()

    private_redis.start()
    worker = start_engine(private_redis.url, tmp_path, "worker")
    try:
        wait_for(lambda: Escalation.objects.count() == 2 * STEPS_PER_REFERRAL, tmp_path, "worker")
        time.sleep(1.5)
    finally:
        kill(worker, signal.SIGTERM)

    from referrals.models import Referral

    assert_each_step_fired_once(list(Referral.objects.all()), clinician, manager, on_call_manager)

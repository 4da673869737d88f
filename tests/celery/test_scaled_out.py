"""What makes running several copies safe (docs/SCALING.md), shown with real processes on one
database: two web processes on two ports honour one session, and two Celery workers each with
its own beat fire every escalation step exactly once."""

import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from escalations.models import Escalation
from tests.celery.test_escalation_worker import (
    STEPS_PER_REFERRAL,
    assert_each_step_fired_once,
    kill,
    overdue_referrals,
    start_engine,
    wait_for,
)
from tests.celery.test_worker import ROOT, env_for, free_port

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def start_web(tmp_path, name: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    log = open(tmp_path / f"{name}.log", "w")
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env_for(settings.CELERY_BROKER_URL), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: _answers(base), tmp_path, name, timeout=60)
    return process, base


def _answers(base: str) -> bool:
    try:
        urllib.request.urlopen(base + "/accounts/login/", timeout=2)
        return True
    except (urllib.error.URLError, ConnectionError):
        return False


def test_a_session_made_on_one_web_process_is_valid_on_the_other(call_handler, tmp_path):
    # A hash the web processes' own (default) hashers verify, cheap enough for a test.
    call_handler.password = PBKDF2PasswordHasher().encode("scale-test-password", "saltsalt", iterations=1000)
    call_handler.save()
    first, first_url = start_web(tmp_path, "web-one")
    second, second_url = start_web(tmp_path, "web-two")
    try:
        jar = CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = browser.open(first_url + "/accounts/login/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token, "username": call_handler.username, "password": "scale-test-password",
        }).encode()
        browser.open(urllib.request.Request(first_url + "/accounts/login/", data=body,
                                            headers={"Referer": first_url + "/accounts/login/"}))
        assert "sessionid" in {cookie.name for cookie in jar}

        # The same cookie (cookies ignore the port) on the other process: the contacts list,
        # not the login page.
        answer = browser.open(second_url + "/contacts/")
        assert answer.status == 200 and "/accounts/login/" not in answer.url
    finally:
        kill(first, signal.SIGTERM)
        kill(second, signal.SIGTERM)


def test_two_workers_each_with_its_own_beat_fire_each_step_once(
    physical_ladder, falls, call_handler, clinician, manager, on_call_manager, tmp_path
):
    referrals = overdue_referrals(falls, call_handler, 4)
    # Batches of one clock, so both workers' sweeps take part rather than the first taking all.
    workers = [start_engine(settings.CELERY_BROKER_URL, tmp_path, name, CCC_ESCALATION_BATCH_SIZE="1")
               for name in ("one", "two")]
    try:
        wait_for(lambda: Escalation.objects.count() >= STEPS_PER_REFERRAL * len(referrals), tmp_path, "one")
        time.sleep(2.5)  # more ticks of both beats find nothing more to do
    finally:
        for worker in workers:
            kill(worker, signal.SIGTERM)

    assert_each_step_fired_once(referrals, clinician, manager, on_call_manager)

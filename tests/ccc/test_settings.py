"""Settings come from the environment; production settings pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check_with_no_warnings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-long-random-production-secret-key-with-enough-entropy-0123456789",
        ALLOWED_HOSTS="ccc.example.nhs.uk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="0", SECRET_KEY="", ALLOWED_HOSTS="ccc.example.nhs.uk")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_fails_loudly():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a yes/no value" in result.stderr


def test_connections_are_kept_open_on_postgresql():
    code = "from django.conf import settings; d = settings.DATABASES['default']; print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "ccc.settings", "DEBUG": "1", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/ccc"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["600", "True"], result.stderr


def test_the_hourly_downtime_copy_is_scheduled_only_when_its_folder_is_set(tmp_path):
    show = "from django.conf import settings; print(sorted(settings.CELERY_BEAT_SCHEDULE))"

    off = run_manage("shell", "-c", show, DEBUG="1")
    on = run_manage("shell", "-c", show, DEBUG="1", CCC_DOWNTIME_DIR=str(tmp_path), CCC_DOWNTIME_USER="manager")
    no_user = run_manage("check", DEBUG="1", CCC_DOWNTIME_DIR=str(tmp_path))

    assert "reporting-downtime-copy" not in off.stdout
    assert "reporting-downtime-copy" in on.stdout, on.stderr
    assert no_user.returncode != 0 and "CCC_DOWNTIME_USER" in no_user.stderr

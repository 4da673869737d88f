"""A short, bounded run of the load test (loadtest/run.py) with its private PostgreSQL restarted in
the middle: requests in flight fail cleanly, every acknowledged referral exists exactly once, none
is half-written, and the service answers again by itself (CONN_HEALTH_CHECKS drops the dead
persistent connections). The full run and its figures: scripts/loadtest, docs/PERFORMANCE.md.

The demo data is loaded into the test database and restored into the private cluster with
scripts/backup and scripts/restore, which is much quicker than migrating a new one."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from loadtest.run import PASSWORD, SECRET, free_port
from tests.seed import reseed

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_database_restart_mid_run_loses_no_acknowledged_referral_and_service_resumes(settings, tmp_path):
    # The server runs as in production (DEBUG off, HTTPS, collected static files): the summary shows it.
    settings.DEBUG = True
    reseed()
    call_command("demo_data", password=PASSWORD, second_factor_secret=SECRET, stdout=StringIO(), stderr=StringIO())
    db = connection.settings_dict
    dump = tmp_path / "demo.dump"
    subprocess.run(
        [ROOT / "scripts" / "backup", dump], check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"},
    )

    run = subprocess.run(
        [sys.executable, ROOT / "loadtest" / "run.py", "--from-dump", dump, "--users", "4", "--spawn-rate", "4",
         "--seconds", "10", "--restart-db-at", "4", "--workers", "2", "--pg-port", str(free_port())],
        cwd=ROOT, capture_output=True, text=True, timeout=240,
    )

    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    checks = summary["checks"]
    assert summary["restart"]["down_seconds"] > 0
    assert summary["production"] == {"hsts": True, "static_hashed": True, "static_compressed": True}
    assert checks["acknowledged"] > 0
    assert checks["missing"] == checks["duplicated"] == checks["wrong_record"] == []
    assert checks["half_written"] == 0
    assert summary["resumed"]

"""scripts/backup and scripts/restore: the demo data, dumped and restored into a new database, comes
back whole: the same rows in every table, the same records, history, passwords and second factors."""

import subprocess
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from tests.seed import reseed

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)

# A few records compared field by field, beyond the counts.
RECORDS = {
    "referrals_referral": "idempotency_key, public_id, reason, received_at, patient_id",
    "triage_queueitem": "referral_id, queue_id, status, routed_at, due_at, notified_at",
    "ccc_user": "username, password, role, email",
    "referrals_historicalreferral": "history_id, idempotency_key, history_type, history_user_id, history_date",
    "otp_totp_totpdevice": "user_id, key, confirmed",
}


def url(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name}"


def run(script: str, *args: str, database: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args], env={"PATH": "/usr/bin:/bin", "DATABASE_URL": url(database)},
        capture_output=True, text=True, timeout=300,
    )


def on_server(sql: str) -> None:
    db = connection.settings_dict
    server = psycopg2.connect(dbname="postgres", user=db["USER"], host=db["HOST"], port=db["PORT"])
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(sql)
    server.close()


def read(database: str) -> tuple[dict[str, int], dict[str, list]]:
    db = connection.settings_dict
    with psycopg2.connect(dbname=database, user=db["USER"], host=db["HOST"], port=db["PORT"]) as conn:
        cursor = conn.cursor()
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        records = {}
        for table, columns in RECORDS.items():
            cursor.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2")
            records[table] = cursor.fetchall()
    conn.close()
    return counts, records


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    on_server(f'DROP DATABASE IF EXISTS "{name}"')
    on_server(f'CREATE DATABASE "{name}"')
    yield name
    on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_demo_data_backed_up_and_restored_into_a_new_database_comes_back_whole(settings, tmp_path, restored_name):
    settings.DEBUG = True
    reseed()
    call_command("demo_data", password="backup-test-password-1", stdout=StringIO(), stderr=StringIO())
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "ccc.dump"

    backup = run("backup", str(dump), database=source)
    assert backup.returncode == 0, backup.stderr
    assert dump.exists() and not Path(f"{dump}.partial").exists()
    restore = run("restore", str(dump), database=restored_name)
    assert restore.returncode == 0, restore.stderr

    counts, records = read(source)
    restored_counts, restored_records = read(restored_name)
    assert restored_counts == counts
    assert counts["referrals_referral"] > 10 and counts["referrals_historicalreferral"] > 10
    assert all(records.values()), {table: len(rows) for table, rows in records.items()}
    assert restored_records == records

    # Restoring over data is refused: a wrong DATABASE_URL cannot overwrite a live system.
    again = run("restore", str(dump), database=restored_name)
    assert again.returncode == 1 and "new, empty database" in again.stderr
    assert read(restored_name)[0] == counts

"""Run the load test, bounded, against gunicorn on 127.0.0.1 and a private PostgreSQL cluster.

    .venv/bin/python loadtest/run.py [--users 20] [--seconds 60] [--restart-db-at 20] [--from-dump FILE]

1. A PostgreSQL cluster of its own (initdb into a temporary folder, port 5439 by default, socket in
   the folder), so restarting it touches nobody else's database; the data is migrated and the demo
   data loaded (or a dump made by scripts/backup is restored instead: ``--from-dump``).
2. gunicorn serves the project as in production: DEBUG off, a new random SECRET_KEY, ALLOWED_HOSTS
   127.0.0.1, static files collected (hashed, compressed) and served by WhiteNoise, and HTTPS with a
   certificate made for the run, so the secure cookies, HSTS and the CSRF Referer check all apply;
   locust (loadtest/locustfile.py) runs headless for ``--seconds``, trusting that certificate.
3. ``--restart-db-at N``: N seconds in, PostgreSQL is restarted (a fast shutdown, then started again).
4. Reports requests/s and p50/p95/p99 per operation, then checks every referral the server
   acknowledged exists exactly once, and that no referral was half-written (each has its queue
   item and its "received" and "routed" timeline entries), and that the service answers again.

Prints the figures and a JSON summary (last line); exits 1 when a check fails.
"""

import argparse
import csv
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PASSWORD = "load-test-password-1"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_owner(command: list) -> list:
    """PostgreSQL refuses to run as root: then its commands run as the postgres account."""
    return ["runuser", "-u", "postgres", "--", *map(str, command)] if os.geteuid() == 0 else command


class Cluster:
    """A private PostgreSQL: started, restarted and removed by this run alone."""

    def __init__(self, folder: Path, port: int):
        self.port, self.folder = port, folder / "pg-cluster"
        self.data = self.folder / "data"
        self.folder.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/ccc"

    def ctl(self, *args: str) -> None:
        subprocess.run(
            as_owner([PG_BIN / "pg_ctl", "-D", self.data, "-l", self.folder / "pg.log", "-w", "-t", "60", *args]),
            check=True, stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        if not self.data.exists():
            subprocess.run(as_owner([PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]),
                           check=True, stdout=subprocess.DEVNULL)
        self.ctl("-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def restart(self) -> float:
        started = time.monotonic()
        self.ctl("-m", "fast", "stop")
        self.start()
        return time.monotonic() - started

    def stop(self) -> None:
        if self.data.exists():
            subprocess.run(as_owner([PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def query(self, sql: str) -> list[tuple]:
        out = subprocess.run(["psql", self.url, "--no-psqlrc", "-tA", "-F", "\t", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]


def manage(env: dict, *args: str) -> str:
    return subprocess.run([BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True).stdout


def prepare(cluster: Cluster, env: dict, dump: str | None) -> dict:
    subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "ccc"], check=True)
    if dump:
        subprocess.run([ROOT / "scripts" / "restore", dump], env={**env, "PATH": os.environ["PATH"]}, check=True,
                       stdout=subprocess.DEVNULL)
    else:
        manage(env, "migrate", "--noinput")
        # --force: DEBUG is off, as in production, but this is the run's own database.
        manage(env, "demo_data", "--password", PASSWORD, "--second-factor-secret", SECRET, "--force")
    token = manage(env, "drf_create_token", "callhandler").split()[2]
    patients = [row[0] for row in cluster.query("SELECT public_id FROM referrals_patient ORDER BY id LIMIT 50")]
    return {"LOADTEST_TOKEN": token, "LOADTEST_PATIENTS": ",".join(patients)}


def production(folder: Path, database_url: str) -> dict:
    """The environment of a production server (docker-compose.yml's), on 127.0.0.1 with this run's key."""
    return {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS")},
        "DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1", "STATIC_ROOT": str(folder / "static"), "CCC_VAR_DIR": str(folder / "var"),
        "DJANGO_SETTINGS_MODULE": "ccc.settings",
    }


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, for this run only: gunicorn serves it, the clients trust it."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


def wait_for(url: str, tls: ssl.SSLContext | None = None, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2, context=tls)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def served_as_production(host: str, tls: ssl.SSLContext) -> dict:
    """What shows the server ran as in production: HSTS (sent only with DEBUG off, over HTTPS), and a
    static file named with its hash (the collected manifest) that WhiteNoise serves, compressed."""
    login = urllib.request.urlopen(f"{host}/accounts/login/", timeout=10, context=tls)
    static = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', login.read().decode())
    compressed = None
    if static:
        asked = urllib.request.Request(f"{host}{static.group(1)}", headers={"Accept-Encoding": "gzip"})
        compressed = urllib.request.urlopen(asked, timeout=10, context=tls).headers.get("Content-Encoding")
    return {"hsts": bool(login.headers.get("Strict-Transport-Security")), "static_hashed": bool(static),
            "static_compressed": compressed == "gzip"}


def figures(stats_csv: Path) -> list[dict]:
    rows = []
    with open(stats_csv) as f:
        for row in csv.DictReader(f):
            rows.append({
                "operation": row["Name"], "requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
                "per_second": float(row["Requests/s"]), "p50_ms": row["50%"], "p95_ms": row["95%"],
                "p99_ms": row["99%"],
            })
    return rows


def checks(cluster: Cluster, acknowledged: list[str]) -> dict:
    keys = dict(line.split() for line in acknowledged)
    found = cluster.query("SELECT idempotency_key, public_id FROM referrals_referral WHERE idempotency_key LIKE 'load-%'")
    recorded: dict[str, list[str]] = {}
    for key, public_id in found:
        recorded.setdefault(key, []).append(public_id)
    half_written = cluster.query(
        "SELECT count(*) FROM referrals_referral r WHERE NOT EXISTS (SELECT 1 FROM triage_queueitem q WHERE q.referral_id = r.id)"
        " OR (SELECT count(*) FROM referrals_timelineevent e WHERE e.referral_id = r.id AND e.kind IN ('received', 'routed')) < 2"
    )[0][0]
    return {
        "acknowledged": len(keys),
        "missing": sorted(key for key in keys if key not in recorded),
        "duplicated": sorted(key for key, ids in recorded.items() if len(ids) > 1),
        "wrong_record": sorted(key for key, public_id in keys.items() if recorded.get(key, [public_id])[0] != public_id),
        "recorded_unacknowledged": len(set(recorded) - set(keys)),
        "half_written": int(half_written),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--restart-db-at", type=float, default=None)
    parser.add_argument("--pg-port", type=int, default=5439)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (2 threads each)")
    parser.add_argument("--from-dump", help="restore this dump (scripts/backup) instead of migrate + demo_data")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ccc-load-"))
    folder.chmod(0o711)  # the postgres account passes through to its own folder inside
    cluster = Cluster(folder, args.pg_port)
    server = None
    try:
        cluster.start()
        env = production(folder, cluster.url)
        env.update(prepare(cluster, env, args.from_dump))
        manage(env, "collectstatic", "--noinput")
        cert, key = certificate(folder)
        tls = ssl.create_default_context(cafile=cert)
        port = free_port()
        server = subprocess.Popen(
            [BIN / "gunicorn", "ccc.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers), "--threads", "2",
             "--timeout", "30", "--graceful-timeout", "5", "--certfile", cert, "--keyfile", key],
            cwd=ROOT, env=env, stdout=open(folder / "gunicorn.log", "w"), stderr=subprocess.STDOUT,
        )
        host = f"https://127.0.0.1:{port}"
        wait_for(f"{host}/accounts/login/", tls)
        production_seen = served_as_production(host, tls)

        acknowledged_file = folder / "acknowledged.txt"
        restart = {}
        if args.restart_db_at is not None:
            def restart_later() -> None:
                time.sleep(args.restart_db_at)
                restart["at_seconds"] = args.restart_db_at
                restart["down_seconds"] = round(cluster.restart(), 2)

            threading.Thread(target=restart_later, daemon=True).start()
        load = subprocess.run(
            [BIN / "locust", "-f", ROOT / "loadtest" / "locustfile.py", "--headless", "--only-summary",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.seconds}s", "--stop-timeout", "5",
             "--host", host, "--csv", folder / "stats", "--loglevel", "WARNING"],
            cwd=ROOT, env={**env, "LOADTEST_PASSWORD": PASSWORD, "LOADTEST_SECRET": SECRET,
                           "LOADTEST_ACKNOWLEDGED": str(acknowledged_file), "LOADTEST_CA": str(cert)},
            capture_output=True, text=True, timeout=args.seconds + 120,
        )
        # The service resumes by itself: a referral recorded after the run, on the same server.
        after = urllib.request.Request(
            f"{host}/api/v1/referrals/", method="POST",
            data=json.dumps({"patient": env["LOADTEST_PATIENTS"].split(",")[0], "need": "falls",
                             "referrer_type": "gp", "referrer_name": "Dr After", "reason": "After the run"}).encode(),
            headers={"Authorization": f"Token {env['LOADTEST_TOKEN']}", "Content-Type": "application/json",
                     "Idempotency-Key": "after-the-run"},
        )
        resumed = urllib.request.urlopen(after, timeout=10, context=tls).status == 201
        acknowledged = acknowledged_file.read_text().splitlines() if acknowledged_file.exists() else []
        summary = {
            "users": args.users, "seconds": args.seconds, "load_average": os.getloadavg(), "restart": restart,
            "operations": figures(folder / "stats_stats.csv"), "checks": checks(cluster, acknowledged),
            "resumed": resumed, "server_errors_logged": (folder / "gunicorn.log").read_text().count("Traceback"),
            "production": production_seen,
        }
    finally:
        if server:
            server.terminate()
            server.wait(timeout=20)
        cluster.stop()
    report(summary)
    if load.returncode not in (0, 1):  # locust answers 1 when any request failed: judged by the checks
        print(load.stderr[-3000:], file=sys.stderr)
    shutil.rmtree(folder, ignore_errors=True)
    ok = resumed and not any(summary["checks"][k] for k in ("missing", "duplicated", "wrong_record", "half_written"))
    print(json.dumps(summary))
    return 0 if ok else 1


def report(summary: dict) -> None:
    print(f"{'Operation':40} {'Requests':>8} {'Failed':>6} {'Req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for row in summary["operations"]:
        print(f"{row['operation']:40} {row['requests']:8} {row['failures']:6} {row['per_second']:7.1f} "
              f"{row['p50_ms']:>7} {row['p95_ms']:>7} {row['p99_ms']:>7}")
    print(f"Checks: {summary['checks']}  resumed after the run: {summary['resumed']}  restart: {summary['restart']}")


if __name__ == "__main__":
    sys.exit(main())

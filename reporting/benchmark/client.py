"""The benchmark's side of HTTP: gunicorn started on a free port with the benchmark settings, and
people logged in to it (password and authenticator code, or a session made as a test's
``force_login`` does when no password is given), each with their own cookies.

The standard library only (``http.client``): the command runs where the application is installed,
without the development packages.
"""

import base64
import http.client
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import connection
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ccc.models import User
from ccc.permissions import needs_second_factor
from loadtest.run import BIN, ROOT, free_port, wait_for

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    ms: float

    def csrf(self) -> str:
        found = CSRF.search(self.body.decode(errors="replace"))
        return found.group(1) if found else ""


@dataclass
class Person:
    """One person's browser (or an API client with a token): their cookies and standing headers."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def copy(self) -> "Person":
        return Person(self.port, dict(self.cookies), dict(self.headers))

    def send(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        wanted = {**self.headers, **(headers or {})}
        if self.cookies:
            wanted["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        started = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=wanted)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        ms = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(response.status, {k.lower(): v for k, v in response.headers.items()}, content, ms)

    def get(self, path: str, **headers: str) -> Answer:
        return self.send("GET", path, headers=headers)

    def post_form(self, path: str, data: dict) -> Answer:
        data = {**data, "csrfmiddlewaretoken": self.cookies.get(settings.CSRF_COOKIE_NAME, "")}
        return self.send("POST", path, urlencode(data).encode(), {"Content-Type": "application/x-www-form-urlencoded"})

    def post_json(self, path: str, data: dict, **headers: str) -> Answer:
        return self.send("POST", path, json.dumps(data).encode(), {"Content-Type": "application/json", **headers})


def authenticator_code(user: User, secret: str = "") -> str:
    """What the person's authenticator app shows: from the secret given, else from the device's key.
    A device refuses a step already used, so a second login within 30 s uses the next step's code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    totp = TOTP(base64.b32decode(secret) if secret else device.bin_key)
    if device is not None and totp.t() <= device.last_t:
        totp.drift = device.last_t + 1 - totp.t()
    return f"{totp.token():06d}"


def log_in(port: int, user: User, *, password: str, second_factor_secret: str = "") -> Person:
    """Through the login page, then the authenticator code for those who need one; without a password,
    a session is made in the database as Django's test client's ``force_login`` does."""
    person = Person(port)
    if not password:
        client = Client()
        client.force_login(user)
        if needs_second_factor(user):
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user, confirmed=True).persistent_id
            session.save()
        person.cookies = {name: morsel.value for name, morsel in client.cookies.items()}
        return person
    person.get("/accounts/login/")
    answer = person.post_form("/accounts/login/", {"username": user.username, "password": password})
    if answer.status != 302:
        raise RuntimeError(f"{user.username} could not log in ({answer.status})")
    if needs_second_factor(user):  # the login answers with a redirect to where it came from; the code comes next
        answer = person.post_form("/accounts/second-factor/", {"code": authenticator_code(user, second_factor_secret)})
        if answer.status != 302 or "/accounts/" in answer.headers.get("location", ""):
            raise RuntimeError(f"{user.username}'s authenticator code was refused ({answer.status})")
    return person


def database_url() -> str:
    """The database this process uses (under pytest, the test database), for gunicorn."""
    db = connection.settings_dict
    login = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def gunicorn(*, workers: int, log: Path) -> Iterator[int]:
    """Serve the project as in production (DEBUG off, ``workers`` sync workers) on a free port."""
    port = free_port()
    env = {
        **os.environ, "DATABASE_URL": database_url(), "DEBUG": "0", "SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SETTINGS_MODULE": "ccc.settings_benchmark", "CCC_QUERY_COUNT_HEADER": "1",
    }
    with open(log, "w") as out:
        server = subprocess.Popen(
            [BIN / "gunicorn", "ccc.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(workers), "--timeout", "120"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            wait_for(f"http://127.0.0.1:{port}/accounts/login/")
            yield port
        finally:
            server.terminate()
            server.wait(timeout=30)

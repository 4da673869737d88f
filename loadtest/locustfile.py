"""The load test's people (locust): call handlers recording referrals over the API, duty clinicians
working their queues, a manager on the dashboard and Transfer of Care on the board.

Run by ``loadtest/run.py`` (``scripts/loadtest``), which sets up the server and the accounts and
passes them in the environment: LOADTEST_TOKEN (a call handler's API token), LOADTEST_PASSWORD,
LOADTEST_SECRET (the demo managers' authenticator secret), LOADTEST_PATIENTS (patient ids, comma
separated), LOADTEST_ACKNOWLEDGED (a file: one line per referral the server acknowledged), LOADTEST_CA
(the certificate the server was given for the run, trusted as its own authority).
"""

import base64
import os
import re
import time
import uuid

from django_otp.oath import TOTP
from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "")
PATIENTS = [p for p in os.environ.get("LOADTEST_PATIENTS", "").split(",") if p]
NEEDS = ["falls", "reduced-mobility", "mh-crisis", "ld-support"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEM = re.compile(r"/queues/items/([0-9a-f-]{36})/")
acknowledged: list[str] = []


@events.test_stop.add_listener
def write_acknowledged(**kwargs) -> None:
    with open(os.environ["LOADTEST_ACKNOWLEDGED"], "a") as out:
        out.writelines(f"{line}\n" for line in acknowledged)


class Person(HttpUser):
    abstract = True

    def on_start(self) -> None:
        # The server's certificate is made for the run: trust it, and only it, rather than not checking.
        self.client.verify = os.environ.get("LOADTEST_CA", True)


class CallHandler(Person):
    """Records referrals over the API. A referral whose answer is lost (an error, a dropped connection)
    is sent again with the same Idempotency-Key, as a careful client does: it must be recorded once."""

    weight = 4
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        super().on_start()
        self.client.headers["Authorization"] = f"Token {os.environ['LOADTEST_TOKEN']}"

    @task
    def record_a_referral(self) -> None:
        key = f"load-{uuid.uuid4().hex}"
        body = {
            "patient": PATIENTS[hash(key) % len(PATIENTS)], "need": NEEDS[hash(key[::-1]) % len(NEEDS)],
            "referrer_type": "gp", "referrer_name": "Dr Load", "reason": "Load test referral",
        }
        for attempt in range(3):
            name = "API: record a referral" + (" (again, same key)" if attempt else "")
            with self.client.post(
                "/api/v1/referrals/", json=body, headers={"Idempotency-Key": key}, name=name, catch_response=True
            ) as response:
                if response.status_code in (200, 201):
                    acknowledged.append(f"{key} {response.json()['public_id']}")
                    return
                response.failure(f"{response.status_code}")
            time.sleep(1)


class SignedIn(Person):
    abstract = True
    username = ""

    def on_start(self) -> None:
        super().on_start()
        for _ in range(10):  # a login lost to a database restart is tried again
            if self.log_in():
                return
            time.sleep(1)

    def log_in(self) -> bool:
        # Each form is sent with its page as the Referer, as a browser does: over HTTPS Django's CSRF
        # check refuses a POST without one.
        page = self.client.get("/accounts/login/", name="log in: page")
        page = self.client.post(
            "/accounts/login/", {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": csrf(page)},
            name="log in: password", headers={"Referer": page.url},
        )
        if "/accounts/second-factor/" in (page.url or ""):
            code = f"{TOTP(base64.b32decode(os.environ['LOADTEST_SECRET'])).token():06d}"
            page = self.client.post(
                page.url, {"code": code, "csrfmiddlewaretoken": csrf(page)}, name="log in: second factor",
                headers={"Referer": page.url},
            )
        return page.ok and "/accounts/" not in (page.url or "")

    def form_post(self, url: str, data: dict, name: str):
        return self.client.post(url, {**data, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
                                name=name, headers={"Referer": self.host + url})


def csrf(page) -> str:
    found = CSRF.search(page.text)
    return found.group(1) if found else ""


class Clinician(SignedIn):
    """Watches the physical health queue (its refresh), claims the next referral and releases it."""

    weight = 3
    wait_time = between(1, 3)
    username = "clinician.physical"

    @task(4)
    def watch_the_queue(self) -> None:
        self.client.get("/queues/physical-health/items/", headers={"X-Requested-With": "fetch"},
                        name="queue: refresh")

    @task(1)
    def claim_and_release(self) -> None:
        self.client.get("/queues/physical-health/", name="queue: open")
        claimed = self.form_post("/queues/physical-health/claim-next/", {}, name="queue: claim next")
        item = ITEM.search(claimed.url)
        if item:
            self.form_post(f"/queues/items/{item.group(1)}/release/", {"reason": "Load test: back to the queue"},
                           name="queue: release")


class Manager(SignedIn):
    fixed_count = 1  # one device: two logins in the same 30 s would reuse a code, which is refused
    wait_time = between(2, 5)
    username = "manager"

    @task
    def dashboard(self) -> None:
        self.client.get("/dashboard/", name="dashboard")


class TransferOfCare(SignedIn):
    weight = 1
    wait_time = between(2, 4)
    username = "toc"

    @task
    def board(self) -> None:
        self.client.get("/toc/", name="TOC board")

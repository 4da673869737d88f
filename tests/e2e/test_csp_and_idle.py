"""In a real browser: the Content-Security-Policy blocks nothing our pages need (Swagger UI
included), and the idle warning appears before the timeout and "Stay signed in" keeps going."""

import pytest
from playwright.sync_api import expect

from ccc.models import User
from tests import factories
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def csp_violations(page) -> list[str]:
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None)
    return violations


def test_the_api_docs_and_a_duty_queue_run_under_the_policy(live_server, page):
    queue = factories.duty_queue(code="physical-health", name="Physical health duty queue")
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[queue])
    violations = csp_violations(page)
    login(page, live_server, clinician.username)

    page.goto(f"{live_server.url}/queues/{queue.code}/")
    page.evaluate("window.cccRefreshQueue()")  # the inline refresh script ran
    expect(page.locator("#queue-items[data-refreshed-at]")).to_have_count(1)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_be_visible()

    assert violations == []


def test_the_idle_warning_shows_before_the_timeout_and_stay_signed_in_dismisses_it(live_server, page, settings):
    settings.IDLE_TIMEOUT_SECONDS = 6  # a short limit warns at half of it: three seconds after the page loads
    handler = factories.user(User.Role.CALL_HANDLER)
    login(page, live_server, handler.username)

    warning = page.get_by_role("alertdialog", name="You will be signed out soon")
    expect(warning).to_be_visible(timeout=10_000)
    page.get_by_role("button", name="Stay signed in").click()

    expect(warning).to_have_count(0)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

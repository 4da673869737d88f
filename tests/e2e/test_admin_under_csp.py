"""In a real browser: an administrator sets up their authenticator app (the QR code page), then
walks every page of the administration site, each list and an add form, and the policy
(django-csp) blocks nothing: no Content-Security-Policy violation in the console."""

import pytest
from playwright.sync_api import expect

from ccc.models import User
from tests import factories
from tests.e2e.conftest import login
from tests.e2e.test_csp_and_idle import csp_violations

pytestmark = pytest.mark.e2e


def test_an_administrator_enrols_and_walks_the_admin_with_no_policy_violation(live_server, page):
    administrator = factories.user(User.Role.ADMINISTRATOR)
    violations = csp_violations(page)
    login(page, live_server, administrator.username)  # first login: the enrolment page, QR code and all

    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    lists = sorted({href for href in page.locator("#content-main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
                    if href and href.count("/") == 4 and not href.endswith("/add/")})
    assert len(lists) > 10, lists
    for href in lists:
        response = page.goto(f"{live_server.url}{href}")
        assert response.status == 200, href
    for href in ("/admin/ccc/user/add/", f"/admin/ccc/user/{administrator.pk}/change/", "/admin/triage/dutyqueue/add/"):
        response = page.goto(f"{live_server.url}{href}")
        assert response.status == 200, href
        expect(page.locator("#content-main form")).to_be_visible()

    assert violations == [], violations

"""Error pages inside the site's frame, with DEBUG off as in production: what happened, who may do it,
and where to go. The API keeps answering JSON."""

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ccc import errors, urls
from ccc.permissions import Action, ActionRefused

pytestmark = pytest.mark.usefixtures("production_errors")


@pytest.fixture
def production_errors():
    with override_settings(DEBUG=False):
        yield


def test_a_refused_page_says_which_roles_may_do_it_inside_the_sites_frame(client, call_handler):
    client.force_login(call_handler)

    response = client.get(reverse("triage:queue_list"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "Only duty clinicians, team leads, managers and administrators can do this." in html
    assert 'class="nhsuk-header' in html and "Log out" in html  # the header, as on every page
    assert f'href="{reverse("home")}"' in html


def test_a_refusal_by_the_object_rule_says_it_is_someone_elses(mental_clinician):
    # Their role may claim: it is another queue's item that the object rule refused.
    assert "only for your own queues" in ActionRefused(Action.QUEUE_ITEM_CLAIM, mental_clinician).who_may()


def test_the_refusal_names_one_role_or_none():
    assert ActionRefused(Action.PATIENT_MERGE).who_may() == "Only administrators can do this."
    assert ActionRefused(Action.CONTACT_LOG).who_may() == "Only call handlers can do this."


def test_the_api_still_answers_a_refusal_as_json(login, call_handler):
    response = login(call_handler).get("/api/v1/irr-episodes/")

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")


def test_an_unknown_page_is_a_styled_404_with_the_way_back(client, call_handler):
    client.force_login(call_handler)

    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and 'class="nhsuk-header' in html and f'href="{reverse("home")}"' in html


def test_an_unknown_api_address_is_answered_as_json(client):
    response = client.get("/api/v1/no-such-thing/")

    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_a_failure_shows_the_styled_500_page(call_handler, monkeypatch):
    from referrals import views

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views.selectors, "contacts_referral_pending", broken)
    client = Client(raise_request_exception=False)
    client.force_login(call_handler)

    response = client.get(reverse("referrals:contact_log"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the system" in html and 'class="nhsuk-header' in html
    assert "Log out" not in html  # no request context: it does not know, or ask, who is signed in


def test_the_500_page_asks_nothing_of_the_database(db):
    assert urls.handler500 == "ccc.errors.server_error"
    request = RequestFactory().get("/")

    with CaptureQueriesContext(connection) as queries:
        response = errors.server_error(request)

    assert response.status_code == 500 and not queries.captured_queries

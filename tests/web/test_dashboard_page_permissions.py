"""The dashboard pages answer managers, administrators and team leads only; the header links to them for those."""

import pytest
from django.urls import reverse

PAGES = {
    "dashboard": reverse("reporting:dashboard"),
    "figure_csv": reverse("reporting:figure_csv", args=["referrals-per-day"]),
    "joint_data_set_csv": reverse("reporting:joint_data_set_csv"),
}
ALLOWED = {"manager", "administrator", "team_lead"}
PEOPLE = ["call_handler", "clinician", "toc_member", "team_lead", "manager", "administrator"]


@pytest.mark.parametrize("page", sorted(PAGES))
def test_anonymous_people_are_sent_to_log_in(client, db, page):
    response = client.get(PAGES[page])

    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) and PAGES[page] in response.url


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_dashboard_page_answers_only_the_roles_it_is_for(client, request, page, person):
    client.force_login(request.getfixturevalue(person))

    response = client.get(PAGES[page])

    assert response.status_code == (200 if person in ALLOWED else 403)


@pytest.mark.parametrize("person", PEOPLE)
def test_the_header_shows_the_dashboard_to_the_roles_that_may_open_it(client, request, person):
    client.force_login(request.getfixturevalue(person))

    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]

    assert ("Dashboard" in labels) == (person in ALLOWED)


def test_a_manager_may_not_ask_for_a_scope_that_is_not_offered(client, manager):
    client.force_login(manager)

    response = client.get(PAGES["figure_csv"], {"scope": "team-999999"})

    assert response.status_code == 400

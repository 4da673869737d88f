"""Each person lands on their work at ``/``, as ``ccc.permissions.landing_for`` decides."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ccc.models import User
from ccc.permissions import LANDINGS, ROLE_ACTIONS, landing_for
from tests import factories


def lands_on(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    return response.url


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (User.Role.TOC, "discharge:board"),
        (User.Role.DIRECTORY_EDITOR, "directory:review_list"),
        (User.Role.MANAGER, "reporting:dashboard"),
        (User.Role.ADMINISTRATOR, "access_log"),
        (User.Role.REFERRER, "referrals:tracking_list"),
        (User.Role.CALL_HANDLER, "referrals:contact_log"),
    ],
)
def test_each_role_lands_on_its_work(client, db, role, page):
    assert lands_on(client, factories.user(role)) == reverse(page)


def test_clinicians_on_a_duty_queue_land_on_their_queues_and_those_on_none_on_their_irr_episodes(
    client, clinician, team_lead, irr_team
):
    assert lands_on(client, clinician) == reverse("triage:queue_list")
    assert lands_on(client, team_lead) == reverse("triage:queue_list")  # not the dashboard they may also see
    visiting = factories.user(User.Role.DUTY_CLINICIAN, team=irr_team)
    assert lands_on(client, visiting) == reverse("irr:episode_list")


def test_someone_with_no_role_is_welcomed_and_told_to_ask_for_one(client, db):
    client.force_login(factories.user(""))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "ask an administrator to give you one" in response.content.decode()


def test_a_grant_holding_two_peoples_work_lands_on_the_first_in_the_fixed_order(db, monkeypatch):
    person = factories.user(User.Role.MANAGER)
    # As if a manager were also given the directory: the directory's review list comes first.
    monkeypatch.setitem(ROLE_ACTIONS, User.Role.MANAGER, ROLE_ACTIONS[User.Role.MANAGER] | ROLE_ACTIONS[User.Role.DIRECTORY_EDITOR])

    assert landing_for(person) == "directory:review_list"
    assert [url for _, url, _ in LANDINGS].index("directory:review_list") < [url for _, url, _ in LANDINGS].index(
        "reporting:dashboard"
    )


def test_every_role_has_a_landing(db):
    for role in User.Role.values:
        person = factories.user(role, team=factories.team())
        assert landing_for(person), role


def test_a_call_handler_lands_on_the_contact_form_beside_what_is_still_waiting(client, call_handler, physical_queue):
    team = factories.team(name="District nurses")
    pending = factories.contact(actor=call_handler, caller_name="Rosa Pending", outcome="referral_pending")
    factories.call_back(actor=call_handler, team_=team, caller_name="Ted Waiting")

    response = client.get(lands_on(client, call_handler))

    html = response.content.decode()
    assert "Log a contact" in html
    assert 'data-testid="desk-pending"' in html and pending.reference in html
    assert 'data-testid="desk-call-backs"' in html and "Ted Waiting" in html


def test_the_call_handlers_landing_reads_the_waiting_lists_in_one_query_each(client, call_handler, django_assert_max_num_queries):
    team = factories.team()
    for n in range(5):
        factories.contact(actor=call_handler, caller_name=f"Caller {n}", outcome="referral_pending")
        factories.call_back(actor=call_handler, team_=team, caller_name=f"Waiting {n}")
    client.force_login(call_handler)
    client.get(reverse("referrals:contact_log"))  # the session and the form's choices warm up

    with django_assert_max_num_queries(12):
        assert client.get(reverse("referrals:contact_log")).status_code == 200


def test_a_clinicians_queues_show_counts_and_the_longest_wait(client, clinician, falls, call_handler, django_assert_max_num_queries):
    for _ in range(3):
        factories.referral(need=falls, actor=call_handler)
    client.force_login(clinician)
    client.get(reverse("triage:queue_list"))

    with django_assert_max_num_queries(8):
        response = client.get(reverse("triage:queue_list"))

    [queue] = response.context["queues"]
    assert queue.waiting_count == 3
    assert queue.oldest_waiting_since <= timezone.now()
    assert "Waiting longest" in response.content.decode()


def test_the_directory_editor_sees_services_overdue_or_due_within_a_month_oldest_first(client, directory_editor):
    today = timezone.localdate()
    never = factories.directory_service(name="Never reviewed")
    old = factories.directory_service(name="Reviewed long ago", assured_date=today - timedelta(days=500))
    soon = factories.directory_service(name="Due in a fortnight", assured_date=today - timedelta(days=365 - 14))
    factories.directory_service(name="Reviewed last week", assured_date=today - timedelta(days=7))

    response = client.get(lands_on(client, directory_editor))

    assert [s.name for s in response.context["services"]] == [never.name, old.name, soon.name]
    assert reverse("directory:service_update", args=[soon.pk]) in response.content.decode()
    assert isinstance(soon.assured_date, date)

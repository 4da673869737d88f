"""Live capacity for call handlers and referrers: figures read from the records the teams work in
(nothing typed twice), page and API alike, in a fixed number of queries, refused to those without it."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ccc.models import User
from discharge import services as discharge_services
from irr.models import TeamCapacity
from tests import factories


@pytest.fixture
def busy_day(falls, call_handler, irr_clinician, irr_team, toc_nurse, ward, physical_queue):
    """One IRR team at its episode limit with a visit today, a bed service with one reserved, and
    two referrals waiting in the physical health queue (the older one 90 minutes)."""
    TeamCapacity.objects.create(team=irr_team, open_episodes=1, visits_per_day=3)
    decision = factories.triaged(referral_=factories.referral(need=falls, actor=call_handler), clinician=irr_clinician)
    episode = factories.episode(decision=decision, lead=irr_clinician)
    factories.visit(episode_=episode, actor=irr_clinician, staff=[factories.member(episode_=episode)],
                    scheduled_for=timezone.now() + timedelta(minutes=30))
    beds = factories.pathway_service(name="Northfield intermediate care", pathway=2, capacity=4)
    entry = factories.register_entry(actor=toc_nurse, ward_=ward)
    discharge_services.pathway_set(entry=entry, actor=toc_nurse, pathway=2)
    discharge_services.booking_reserve(entry=entry, service=beds, actor=toc_nurse)
    factories.referral_at(need=falls, actor=call_handler, received_at=timezone.now() - timedelta(minutes=90))
    factories.referral(need=falls, actor=call_handler)


def test_the_api_gives_the_figures_of_the_records(busy_day, login, call_handler):
    response = login(call_handler).get("/api/v1/capacity/")

    assert response.status_code == 200
    data = response.json()
    [team] = data["irr_teams"]
    assert (team["open_episodes"], team["open_episodes_limit"], team["visits_today"], team["is_full"]) == (1, 1, 1, True)
    [beds] = data["places"]
    assert (beds["service"], beds["capacity"], beds["reserved"], beds["free"]) == ("Northfield intermediate care", 4, 1, 3)
    assert beds["pathway_label"].startswith("Pathway 2")
    [queue] = data["duty_queues"]
    assert (queue["queue"], queue["waiting"]) == ("Physical health duty queue", 2)
    assert 89 <= queue["longest_wait_minutes"] <= 91


def test_a_referral_waiting_and_a_bed_taken_show_at_once(busy_day, login, referrer, falls, call_handler, toc_nurse):
    client = login(referrer)
    before = client.get("/api/v1/capacity/").json()

    factories.referral(need=falls, actor=call_handler)
    beds = factories.pathway_service(name="Eastbrook discharge to assess", pathway=3, capacity=1)
    entry = factories.register_entry(actor=toc_nurse, ward_=factories.ward(name="Ward 9"))
    discharge_services.pathway_set(entry=entry, actor=toc_nurse, pathway=3)
    discharge_services.booking_reserve(entry=entry, service=beds, actor=toc_nurse)
    after = client.get("/api/v1/capacity/").json()

    assert after["duty_queues"][0]["waiting"] == before["duty_queues"][0]["waiting"] + 1
    assert {place["service"]: place["free"] for place in after["places"]}["Eastbrook discharge to assess"] == 0


def test_the_page_shows_each_section_in_words(busy_day, client, referrer):
    client.force_login(referrer)

    page = client.get(reverse("live_capacity")).content.decode()

    assert "Physical health duty queue" in page and re.search(r">(89|90|91) min<", page)
    assert re.search(r"IRR[^<]*</td>\s*<td[^>]*>1 of 1</td>\s*<td[^>]*>1 of 3</td>", page)
    assert ">Full<" in page
    assert "Northfield intermediate care" in page and "Pathway 2: intermediate-care bed" in page


def test_the_page_and_the_api_each_take_a_fixed_number_of_queries(
    busy_day, client, login, call_handler, falls, django_assert_max_num_queries
):
    for _ in range(5):
        factories.referral(need=falls, actor=call_handler)
    factories.pathway_service(name="More beds", pathway=2, capacity=2)
    client.force_login(call_handler)
    api = login(call_handler)

    # Session and user, the notifications count, then one query for each of the three sections.
    with django_assert_max_num_queries(8):
        assert client.get(reverse("live_capacity")).status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get("/api/v1/capacity/").status_code == 200


@pytest.mark.parametrize("role", [User.Role.DIRECTORY_EDITOR, ""])
def test_refused_to_those_without_it(db, client, login, role):
    person = factories.user(role)
    client.force_login(person)

    assert client.get(reverse("live_capacity")).status_code == 403
    assert login(person).get("/api/v1/capacity/").status_code == 403


def test_refused_to_anonymous(db, client, login):
    assert client.get(reverse("live_capacity")).status_code == 302
    assert login(None).get("/api/v1/capacity/").status_code == 401

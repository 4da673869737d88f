"""The duty triage and IRR pages (issue 5) refuse anonymous people and the roles they are not for."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from triage import services as triage_services


@pytest.fixture
def world(referral, falls, call_handler, irr_clinician):
    triage_services.queue_item_claim(item=referral.queue_item, actor=irr_clinician)
    decision = factories.triaged(referral_=factories.referral(need=falls, received_by=call_handler), clinician=irr_clinician)
    episode = factories.episode(decision=decision, lead=irr_clinician)
    from irr import services as irr_services

    visit = irr_services.visit_schedule(
        episode=episode, kind="planned", scheduled_for=timezone.now(), staff=[factories.member(episode_=episode)],
        actor=irr_clinician,
    )
    fresh = factories.triaged(referral_=factories.referral(need=falls, received_by=call_handler), clinician=irr_clinician)
    item = referral.queue_item
    return {
        "queue_items_fragment": reverse("triage:queue_items_fragment", args=[item.queue.code]),
        "queue_rota": reverse("triage:queue_rota", args=[item.queue.code]),
        "item_release": reverse("triage:item_release", args=[item.public_id]),
        "item_reassign": reverse("triage:item_reassign", args=[item.public_id]),
        "episode_list": reverse("irr:episode_list"),
        "episode_open": reverse("irr:episode_open", args=[fresh.public_id]),
        "episode_detail": reverse("irr:episode_detail", args=[episode.public_id]),
        "member_add": reverse("irr:member_add", args=[episode.public_id]),
        "visit_plan": reverse("irr:visit_plan", args=[episode.public_id]),
        "episode_close": reverse("irr:episode_close", args=[episode.public_id]),
        "visit_record": reverse("irr:visit_record", args=[visit.public_id]),
    }


IRR_TEAM = {"irr_clinician", "team_lead"}
ALLOWED = {
    "queue_items_fragment": {"clinician", "irr_clinician", "team_lead", "manager", "administrator"},
    "queue_rota": {"team_lead"},
    "item_release": {"clinician", "irr_clinician", "team_lead"},
    "item_reassign": {"team_lead"},
    "episode_list": {"clinician", "irr_clinician", "team_lead", "mental_clinician", "manager", "administrator"},
    "episode_open": IRR_TEAM,
    "episode_detail": IRR_TEAM | {"manager", "administrator"},
    "member_add": IRR_TEAM,
    "visit_plan": IRR_TEAM,
    "episode_close": IRR_TEAM,
    "visit_record": IRR_TEAM,
}
PEOPLE = ["call_handler", "clinician", "irr_clinician", "team_lead", "mental_clinician", "toc_member", "manager",
          "administrator"]


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_anonymous_people_are_sent_to_log_in(client, world, page):
    response = client.get(world[page])

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_each_page_answers_only_the_roles_it_is_for(client, request, world, page, person):
    client.force_login(request.getfixturevalue(person))

    response = client.get(world[page])

    if person in ALLOWED[page]:
        assert response.status_code == 200
    else:
        # 403 for a role that may never do this; 404 for another queue's or team's work
        assert response.status_code in (403, 404), response.status_code


def test_the_header_shows_irr_episodes_to_those_who_may_see_them(client, irr_clinician, call_handler):
    client.force_login(irr_clinician)
    assert "IRR episodes" in [item["label"] for item in client.get(reverse("home")).context["nav_items"]]

    client.force_login(call_handler)
    assert "IRR episodes" not in [item["label"] for item in client.get(reverse("home")).context["nav_items"]]

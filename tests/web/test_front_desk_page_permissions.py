"""The front desk's pages refuse anonymous people and roles they are not for; referrers see only their own."""

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def world(practice_referral, contact):
    return {"referral": practice_referral, "patient": practice_referral.patient, "contact": contact}


def pages(world):
    contact, patient, referral = world["contact"], world["patient"], world["referral"]
    return {
        "contact_list": ("get", reverse("referrals:contact_list")),
        "contact_log": ("get", reverse("referrals:contact_log")),
        "contact_detail": ("get", reverse("referrals:contact_detail", args=[contact.public_id])),
        "contact_amend": ("get", reverse("referrals:contact_amend", args=[contact.public_id])),
        "contact_signpost": ("get", reverse("referrals:contact_signpost", args=[contact.public_id])),
        "patient_detail": ("get", reverse("referrals:patient_detail", args=[patient.public_id])),
        "tracking_list": ("get", reverse("referrals:tracking_list")),
        "tracking_detail": ("get", reverse("referrals:tracking_detail", args=[referral.public_id])),
        # Existing pages a referrer must not reach: they would show more than tracking facts.
        "referral_detail": ("get", reverse("referrals:referral_detail", args=[referral.public_id])),
        "referral_list": ("get", reverse("referrals:referral_list")),
        "patient_find": ("get", reverse("referrals:patient_find")),
    }


ALLOWED = {
    "contact_list": {"call_handler", "manager", "administrator"},
    "contact_log": {"call_handler"},
    "contact_detail": {"call_handler", "manager", "administrator"},
    "contact_amend": {"call_handler"},
    "contact_signpost": {"call_handler"},
    "patient_detail": {"call_handler", "manager", "administrator"},
    "tracking_list": {"referrer", "other_referrer"},
    "tracking_detail": {"referrer"},  # other_referrer: another practice's referral is not found
    "referral_detail": {"call_handler", "clinician", "manager", "administrator"},
    "referral_list": {"call_handler", "clinician", "mental_clinician", "manager", "administrator"},
    "patient_find": {"call_handler"},
}
PEOPLE = [
    "call_handler", "clinician", "mental_clinician", "toc_member", "manager", "administrator", "referrer", "other_referrer",
]
NEW_PAGES = sorted(set(ALLOWED) - {"referral_detail", "referral_list", "patient_find"})


@pytest.mark.parametrize("page", NEW_PAGES)
def test_anonymous_people_are_sent_to_log_in(client, world, page):
    method, url = pages(world)[page]

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) and "next=" in response.url


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_each_page_answers_only_the_roles_it_is_for(client, request, world, page, person):
    client.force_login(request.getfixturevalue(person))
    method, url = pages(world)[page]

    response = getattr(client, method)(url)

    if person in ALLOWED[page]:
        assert response.status_code == 200, response.status_code
    else:
        assert response.status_code in (403, 404), response.status_code


def test_a_referrer_of_another_practice_is_told_the_referral_does_not_exist(client, world, other_referrer):
    client.force_login(other_referrer)

    response = client.get(reverse("referrals:tracking_detail", args=[world["referral"].public_id]))

    assert response.status_code == 404


def test_a_referrer_without_a_practice_or_ward_tracks_nothing(client, world):
    client.force_login(factories.user("referrer"))

    assert client.get(reverse("referrals:tracking_list")).context["rows"] == []
    assert client.get(reverse("referrals:tracking_detail", args=[world["referral"].public_id])).status_code == 404


def test_referrers_get_a_track_referrals_link_and_nothing_else_of_the_front_desk(client, referrer):
    client.force_login(referrer)

    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]

    assert labels == ["Track referrals", "API"]


def test_managers_see_contacts_but_cannot_log_them(client, manager):
    client.force_login(manager)

    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]

    assert "Contacts" in labels and "Log a contact" not in labels

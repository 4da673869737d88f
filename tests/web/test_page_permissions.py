"""Every page refuses anonymous people and roles it is not for."""

import pytest
from django.urls import reverse

from tests import factories


def pages(referral, patient):
    item = referral.queue_item
    return {
        "patient_find": ("get", reverse("referrals:patient_find")),
        "patient_create": ("get", reverse("referrals:patient_create")),
        "referral_create": ("get", reverse("referrals:referral_create", args=[patient.public_id])),
        "referral_list": ("get", reverse("referrals:referral_list")),
        "referral_detail": ("get", reverse("referrals:referral_detail", args=[referral.public_id])),
        "queue_list": ("get", reverse("triage:queue_list")),
        "queue_detail": ("get", reverse("triage:queue_detail", args=[item.queue.code])),
        "claim_next": ("post", reverse("triage:queue_claim_next", args=[item.queue.code])),
        "item_claim": ("post", reverse("triage:item_claim", args=[item.public_id])),
        "item_triage": ("get", reverse("triage:item_triage", args=[item.public_id])),
        "admin": ("get", reverse("admin:triage_routingrule_changelist")),
    }


# Who may open each page (roles by fixture name); everyone else is refused.
ALLOWED = {
    "patient_find": {"call_handler"},
    "patient_create": {"call_handler"},
    "referral_create": {"call_handler"},
    "referral_list": {"call_handler", "clinician", "mental_clinician", "manager", "administrator"},
    "referral_detail": {"call_handler", "clinician", "manager", "administrator"},
    "queue_list": {"clinician", "mental_clinician", "manager", "administrator"},
    "queue_detail": {"clinician", "manager", "administrator"},
    "claim_next": {"clinician"},
    "item_claim": {"clinician"},
    "item_triage": {"clinician"},
    "admin": {"administrator"},
}
PEOPLE = ["call_handler", "clinician", "mental_clinician", "toc_member", "manager", "administrator"]


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_anonymous_people_are_sent_to_log_in(client, referral, page):
    method, url = pages(referral, factories.patient())[page]

    response = getattr(client, method)(url, follow=True)

    first_hop, last_hop = response.redirect_chain[0][0], response.redirect_chain[-1][0]
    assert last_hop.startswith(reverse("login"))
    assert url in first_hop or url in last_hop  # they come back here after logging in


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_each_page_answers_only_the_roles_it_is_for(client, request, referral, page, person):
    user = request.getfixturevalue(person)
    client.force_login(user)
    method, url = pages(referral, factories.patient())[page]

    response = getattr(client, method)(url)

    if person in ALLOWED[page]:
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login"))
    else:
        # 403 for a role that may never do this; 404 for another queue's work
        if response.status_code == 302:
            response = client.get(response.url)  # the admin's own login hop
        assert response.status_code in (403, 404), response.status_code


def test_the_header_shows_only_the_links_a_role_may_follow(client, call_handler, toc_member):
    client.force_login(call_handler)
    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
    assert labels == ["Log a contact", "Contacts", "New referral", "Referrals", "Work list", "Transport", "Directory", "API"]

    client.force_login(toc_member)
    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
    assert labels == ["Directory", "Transfer of Care", "API"]


def test_only_one_header_link_is_the_current_page(client, call_handler):
    client.force_login(call_handler)

    items = client.get(reverse("referrals:patient_find")).context["nav_items"]

    assert [item["label"] for item in items if item["active"]] == ["New referral"]

"""The header offers each role the links it may follow, and no others (who may open each page:
tests/permission_matrix.py)."""

import pytest
from django.urls import reverse


def header_labels(client, actor) -> list[str]:
    client.force_login(actor)
    return [item["label"] for item in client.get(reverse("home"), follow=True).context["nav_items"]]


def test_the_header_shows_only_the_links_a_role_may_follow(client, call_handler, toc_member):
    assert header_labels(client, call_handler) == [
        "Log a contact", "Contacts", "New referral", "Referrals", "Work list", "Transport", "Call backs", "Directory",
        "Live capacity", "System level", "API",
    ]
    assert header_labels(client, toc_member) == ["Directory", "Transfer of Care", "Live capacity", "System level", "API"]


def test_only_one_header_link_is_the_current_page(client, call_handler):
    client.force_login(call_handler)

    items = client.get(reverse("referrals:patient_find")).context["nav_items"]

    assert [item["label"] for item in items if item["active"]] == ["New referral"]


def test_referrers_get_a_track_referrals_link_and_nothing_else_of_the_front_desk(client, referrer):
    assert header_labels(client, referrer) == ["Track referrals", "Live capacity", "API"]


def test_managers_see_contacts_but_cannot_log_them(client, manager):
    labels = header_labels(client, manager)

    assert "Contacts" in labels and "Log a contact" not in labels


def test_call_handlers_have_the_work_list_and_transport_in_the_header(client, call_handler, clinician):
    assert {"Work list", "Transport"} <= set(header_labels(client, call_handler))
    assert not {"Work list", "Transport"} & set(header_labels(client, clinician))


@pytest.mark.parametrize("person", ["call_handler", "clinician", "toc_member", "team_lead", "manager", "administrator"])
def test_the_header_shows_the_dashboard_to_the_roles_that_may_open_it(client, request, person):
    shown = "Dashboard" in header_labels(client, request.getfixturevalue(person))

    assert shown == (person in {"manager", "administrator", "team_lead"})


def test_the_header_offers_the_directory_to_the_roles_that_use_it(client, request, db):
    for person in ["call_handler", "clinician", "mental_clinician", "toc_member", "manager", "administrator",
                   "directory_editor", "team_lead", "referrer"]:
        shown = "Directory" in header_labels(client, request.getfixturevalue(person))
        assert shown == (person != "referrer"), person


def test_toc_staff_see_transfer_of_care_in_the_header(client, toc_member, manager, call_handler):
    for actor, shown in ((toc_member, True), (manager, True), (call_handler, False)):
        assert ("Transfer of Care" in header_labels(client, actor)) is shown


def test_the_header_shows_irr_episodes_to_those_who_may_see_them(client, irr_clinician, call_handler):
    assert "IRR episodes" in header_labels(client, irr_clinician)
    assert "IRR episodes" not in header_labels(client, call_handler)


def test_call_backs_are_in_the_header_for_the_front_desk_clinicians_and_managers(client, call_handler, clinician, manager,
                                                                                   toc_member):
    for actor, shown in ((call_handler, True), (clinician, True), (manager, True), (toc_member, False)):
        assert ("Call backs" in header_labels(client, actor)) is shown

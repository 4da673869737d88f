"""Every Transfer of Care page refuses anonymous people and the roles it is not for."""

import pytest
from django.urls import reverse

from discharge import services
from tests import factories


@pytest.fixture
def world(toc_nurse, ward):
    entry = factories.register_entry(actor=toc_nurse, ward_=ward)
    delay = services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
    )
    return entry, delay


def pages(entry, delay):
    detail = [entry.public_id]
    return {
        "board": ("get", reverse("discharge:board")),
        "register": ("get", reverse("discharge:entry_register")),
        "capacity": ("get", reverse("discharge:capacity")),
        "stranded": ("get", reverse("discharge:stranded")),
        "figures": ("get", reverse("discharge:figures")),
        "occupancy": ("get", reverse("discharge:occupancy")),
        "entry_detail": ("get", reverse("discharge:entry_detail", args=detail)),
        "entry_update": ("post", reverse("discharge:entry_update", args=detail)),
        "entry_pathway": ("post", reverse("discharge:entry_pathway", args=detail)),
        "entry_reserve": ("post", reverse("discharge:entry_reserve", args=detail)),
        "booking_release": ("post", reverse("discharge:booking_release", args=detail)),
        "entry_delay": ("post", reverse("discharge:entry_delay", args=detail)),
        "entry_assessment": ("post", reverse("discharge:entry_assessment", args=detail)),
        "assessment_accept": ("post", reverse("discharge:assessment_accept", args=detail)),
        "entry_discharge": ("post", reverse("discharge:entry_discharge", args=detail)),
        "delay_sign_off": ("post", reverse("discharge:delay_sign_off", args=[delay.public_id])),
        "delay_end": ("post", reverse("discharge:delay_end", args=[delay.public_id])),
        "admin_services": ("get", reverse("admin:discharge_pathwayservice_changelist")),
        "admin_reasons": ("get", reverse("admin:discharge_delayreason_changelist")),
    }


READERS = {"toc_member", "manager", "administrator"}
ALLOWED = {
    "board": READERS,
    "register": {"toc_member"},
    "capacity": READERS,
    "stranded": READERS,
    "figures": READERS,
    "occupancy": {"toc_member"},
    "entry_detail": READERS,
    "entry_update": {"toc_member"},
    "entry_pathway": {"toc_member"},
    "entry_reserve": {"toc_member"},
    "booking_release": {"toc_member"},
    "entry_delay": {"toc_member"},
    "entry_assessment": {"toc_member"},
    "assessment_accept": {"toc_member"},
    "entry_discharge": {"toc_member"},
    "delay_sign_off": {"toc_member"},
    "delay_end": {"toc_member"},
    "admin_services": {"administrator"},
    "admin_reasons": {"administrator"},
}
PEOPLE = ["call_handler", "clinician", "toc_member", "manager", "administrator"]


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_anonymous_people_are_sent_to_log_in(client, world, page):
    method, url = pages(*world)[page]

    response = getattr(client, method)(url, follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("login"))


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_each_toc_page_answers_only_the_roles_it_is_for(client, request, world, page, person):
    client.force_login(request.getfixturevalue(person))
    method, url = pages(*world)[page]

    response = getattr(client, method)(url)

    if person in ALLOWED[page]:
        # 400: an empty form posted by someone allowed is refused for its content, not their role;
        # 404: there is no assessment to accept or bed to release yet.
        nothing_to_act_on = {"assessment_accept", "booking_release"}
        assert response.status_code in (200, 302, 400, 404 if page in nothing_to_act_on else 200)
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login"))
    else:
        if response.status_code == 302:
            response = client.get(response.url)  # the admin's own login hop
        assert response.status_code == 403, response.status_code


def test_managers_see_the_board_without_the_work_buttons(client, manager, world):
    client.force_login(manager)
    entry, _ = world

    board = client.get(reverse("discharge:board")).content.decode()
    detail = client.get(reverse("discharge:entry_detail", args=[entry.public_id])).content.decode()

    assert entry.patient.full_name in board
    assert "Register a patient" not in board
    assert "Record delay" not in detail and "Save pathway" not in detail


def test_toc_staff_see_transfer_of_care_in_the_header(client, toc_member, manager, call_handler):
    for person, shown in ((toc_member, True), (manager, True), (call_handler, False)):
        client.force_login(person)
        labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
        assert ("Transfer of Care" in labels) is shown

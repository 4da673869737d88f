"""The work list, follow-up call and transport pages refuse anonymous people and roles they are not for."""

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def things(call_handler):
    patient = factories.patient()
    return {
        "patient": patient,
        "call": factories.follow_up_call(patient_=patient, actor=call_handler),
        "booking": factories.transport_booking(requested_by=call_handler, patient_=patient),
    }


def pages(things):
    return {
        "work_list": ("get", reverse("referrals:follow_up_work_list")),
        "call_detail": ("get", reverse("referrals:follow_up_call_detail", args=[things["call"].public_id])),
        "call_outcome": (
            "post",
            reverse("referrals:follow_up_call_detail", args=[things["call"].public_id]),
        ),
        "call_schedule": ("get", reverse("referrals:follow_up_call_schedule", args=[things["patient"].public_id])),
        "transport_list": ("get", reverse("referrals:transport_list")),
        "transport_detail": ("get", reverse("referrals:transport_detail", args=[things["booking"].public_id])),
        "transport_update": ("post", reverse("referrals:transport_detail", args=[things["booking"].public_id])),
        "transport_create": ("get", reverse("referrals:transport_create", args=[things["patient"].public_id])),
    }


ALLOWED = {
    "work_list": {"call_handler", "manager", "administrator"},
    "call_detail": {"call_handler", "manager", "administrator"},
    "call_outcome": {"call_handler"},
    "call_schedule": {"call_handler"},
    "transport_list": {"call_handler", "manager", "administrator"},
    "transport_detail": {"call_handler", "manager", "administrator"},
    "transport_update": {"call_handler"},
    "transport_create": {"call_handler"},
}
PEOPLE = ["call_handler", "clinician", "toc_member", "manager", "administrator"]


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_anonymous_people_are_sent_to_log_in(client, things, page):
    method, url = pages(things)[page]

    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_each_page_answers_only_the_roles_it_is_for(client, request, things, page, person):
    client.force_login(request.getfixturevalue(person))
    method, url = pages(things)[page]

    response = getattr(client, method)(url)

    if person in ALLOWED[page]:
        assert response.status_code == 200  # a POST with nothing in it shows the form's errors
    else:
        assert response.status_code == 403


def test_call_handlers_have_the_work_list_and_transport_in_the_header(client, call_handler, clinician):
    client.force_login(call_handler)
    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
    assert {"Work list", "Transport"} <= set(labels)

    client.force_login(clinician)
    labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
    assert not {"Work list", "Transport"} & set(labels)


@pytest.mark.parametrize(
    "model",
    ["triage_outofhoursperiod", "triage_outofhoursdate", "referrals_practicelocality",
     "referrals_communitynursingsettings", "referrals_followuppolicy"],
)
def test_only_administrators_edit_out_of_hours_localities_and_the_call_policy(client, administrator, manager, model):
    add = reverse(f"admin:{model}_add")

    client.force_login(administrator)
    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert client.get(add).status_code == 200

    client.force_login(manager)
    response = client.get(add, follow=True)
    assert response.status_code in (403, 404) or reverse("admin:login") in response.redirect_chain[-1][0]

"""Who may open, read and acknowledge one escalation: the people it was sent to, and for looking,
those who see every escalation. The permission matrix (tests/permission_matrix.py) shows which
roles reach these pages and endpoints at all; this is the object rule, on a real escalation."""

import pytest
from django.urls import reverse

from escalations.models import Notification

pytestmark = pytest.mark.django_db
NOT_TOLD = ["call_handler", "mental_clinician", "toc_member"]


# --- The pages ---


def test_the_clinician_told_opens_their_notification_and_no_one_else_can(client, request, escalated, clinician):
    notification = Notification.objects.get(escalation=escalated, recipient=clinician)
    url = reverse("escalations:notification_open", args=[notification.public_id])

    for other in [*NOT_TOLD, "manager", "administrator"]:
        client.force_login(request.getfixturevalue(other))
        assert client.post(url).status_code == 404, other
    client.force_login(clinician)
    response = client.post(url)

    assert response.status_code == 302 and not response.url.startswith(reverse("login"))
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("person", ["clinician", "manager", "administrator"])
def test_the_people_told_and_those_who_see_every_escalation_open_it(client, request, escalated, person):
    client.force_login(request.getfixturevalue(person))

    assert client.get(reverse("escalations:escalation_detail", args=[escalated.public_id])).status_code == 200


@pytest.mark.parametrize("person", NOT_TOLD)
def test_staff_who_were_not_told_find_no_such_escalation(client, request, escalated, person):
    client.force_login(request.getfixturevalue(person))
    url = reverse("escalations:escalation_detail", args=[escalated.public_id])

    assert client.get(url).status_code == 404
    assert client.post(url, {"note": "Mine"}).status_code == 404
    escalated.refresh_from_db()
    assert escalated.acknowledged_at is None


def test_the_clinician_told_acknowledges_it_from_the_page(client, escalated, clinician):
    client.force_login(clinician)

    response = client.post(reverse("escalations:escalation_detail", args=[escalated.public_id]), {"note": "On it"})

    assert response.status_code == 302
    escalated.refresh_from_db()
    assert escalated.acknowledged_at is not None and escalated.acknowledged_by == clinician


@pytest.mark.parametrize("person", ["manager", "administrator"])
def test_those_who_see_every_escalation_may_look_but_not_acknowledge_what_was_not_sent_to_them(
    client, request, escalated, person
):
    client.force_login(request.getfixturevalue(person))

    response = client.post(reverse("escalations:escalation_detail", args=[escalated.public_id]), {"note": "Mine"})

    escalated.refresh_from_db()
    assert escalated.acknowledged_at is None
    assert response.status_code == 403


# --- The API ---


def test_only_the_clinician_told_marks_their_notification_read_over_the_api(login, request, escalated, clinician):
    notification = Notification.objects.get(escalation=escalated, recipient=clinician)
    url = f"/api/v1/notifications/{notification.public_id}/read/"

    for other in [*NOT_TOLD, "manager", "administrator"]:
        assert login(request.getfixturevalue(other)).post(url).status_code == 404, other
    assert login(clinician).post(url).status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("person, status", [("manager", 403), ("administrator", 403),
                                            *[(person, 404) for person in NOT_TOLD]])
def test_an_escalation_not_sent_to_them_is_not_theirs_to_acknowledge_over_the_api(login, request, escalated, person, status):
    # Those who see every escalation are refused (403); to the others it does not exist (404).
    response = login(request.getfixturevalue(person)).post(
        f"/api/v1/escalations/{escalated.public_id}/acknowledge/", {"note": "Calling now"}, format="json"
    )

    assert response.status_code == status
    escalated.refresh_from_db()
    assert escalated.acknowledged_at is None


def test_the_clinician_told_acknowledges_it_over_the_api(login, escalated, clinician):
    response = login(clinician).post(
        f"/api/v1/escalations/{escalated.public_id}/acknowledge/", {"note": "Calling now"}, format="json"
    )

    assert response.status_code == 200
    escalated.refresh_from_db()
    assert escalated.acknowledged_by == clinician

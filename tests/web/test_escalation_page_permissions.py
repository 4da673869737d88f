"""The escalation pages refuse anonymous people and roles they are not for."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escalations.models import Escalation, Notification
from escalations.services import escalations_fire_due
from tests import factories


@pytest.fixture
def escalated(physical_ladder, falls, call_handler, clinician):
    """A referral three hours old: escalated to the duty clinicians and up the ladder."""
    factories.referral(need=falls, received_by=call_handler, received_at=timezone.now() - timedelta(minutes=125))
    escalations_fire_due()
    return Escalation.objects.get(rung=1)


def pages(escalation, person):
    notification = Notification.objects.filter(recipient=person).first()
    return {
        "notification_list": ("get", reverse("escalations:notification_list")),
        "notification_read_all": ("post", reverse("escalations:notification_read_all")),
        # Someone else's notification is answered as if it did not exist.
        "notification_open": ("post", reverse(
            "escalations:notification_open",
            args=[notification.public_id if notification else Notification.objects.first().public_id],
        )),
        "escalation_list": ("get", reverse("escalations:escalation_list")),
        "escalation_detail": ("get", reverse("escalations:escalation_detail", args=[escalation.public_id])),
        "escalation_acknowledge": ("post", reverse("escalations:escalation_detail", args=[escalation.public_id])),
    }


STAFF = {"call_handler", "clinician", "mental_clinician", "toc_member", "manager", "administrator"}
ALLOWED = {
    "notification_list": STAFF,
    "notification_read_all": STAFF,
    "notification_open": {"clinician"},  # only the duty clinician was told
    "escalation_list": {"manager", "administrator"},
    # The people it was sent to, and those who see every escalation.
    "escalation_detail": {"clinician", "manager", "administrator"},
    # Only the people it was sent to: managers may look, not acknowledge.
    "escalation_acknowledge": {"clinician"},
}
PEOPLE = [*sorted(STAFF), "referrer"]


@pytest.fixture
def referrer(db):
    return factories.user("referrer")


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_anonymous_people_are_sent_to_log_in(client, escalated, clinician, page):
    method, url = pages(escalated, clinician)[page]

    response = getattr(client, method)(url)

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_each_escalation_page_answers_only_the_roles_it_is_for(client, request, escalated, page, person):
    user = request.getfixturevalue(person)
    client.force_login(user)
    method, url = pages(escalated, user)[page]

    response = getattr(client, method)(url, {"note": "On it"} if method == "post" else None)

    if person in ALLOWED[page]:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code in (403, 404), response.status_code
    if page == "escalation_acknowledge":
        # Acknowledged (and sent back to the page) exactly when allowed; refused, it is untouched.
        escalated.refresh_from_db()
        assert (escalated.acknowledged_by == user) == (person in ALLOWED[page]) == (response.status_code == 302)


def test_a_manager_may_look_but_not_acknowledge_what_was_not_sent_to_them(client, escalated, manager):
    client.force_login(manager)
    url = reverse("escalations:escalation_detail", args=[escalated.public_id])
    assert client.get(url).status_code == 200

    response = client.post(url, {"note": "Mine"})

    escalated.refresh_from_db()
    assert escalated.acknowledged_at is None
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["escalationladder", "clock", "escalation"])
def test_only_administrators_open_the_escalation_admin(client, escalated, administrator, manager, name):
    url = reverse(f"admin:escalations_{name}_changelist")
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code in (302, 403)

    client.force_login(administrator)
    assert client.get(url).status_code == 200


def test_an_administrator_sets_up_a_ladder_with_named_people(client, administrator, physical_queue, manager):
    client.force_login(administrator)
    data = {
        "name": "Physical health escalation", "queue": physical_queue.pk, "warn_at_percent": 80,
        "rungs-TOTAL_FORMS": 2, "rungs-INITIAL_FORMS": 0, "rungs-MIN_NUM_FORMS": 1, "rungs-MAX_NUM_FORMS": 1000,
        "rungs-0-position": 1, "rungs-0-name": "Duty clinician", "rungs-0-minutes_after_previous": 0,
        "rungs-0-people": "queue_clinicians",
        "rungs-1-position": 2, "rungs-1-name": "Service manager", "rungs-1-minutes_after_previous": 30,
        "rungs-1-people": "named", "rungs-1-named_users": [manager.pk],
    }

    response = client.post(reverse("admin:escalations_escalationladder_add"), data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    from escalations.models import EscalationLadder

    ladder = EscalationLadder.objects.get(queue=physical_queue)
    assert ladder.warn_at_percent == 80
    assert [(r.name, list(r.named_users.all())) for r in ladder.rungs.all()] == [
        ("Duty clinician", []), ("Service manager", [manager])
    ]
    # A second ladder for the same queue is refused.
    data["name"] = "Another"
    response = client.post(reverse("admin:escalations_escalationladder_add"), data)
    assert response.status_code == 200 and EscalationLadder.objects.count() == 1

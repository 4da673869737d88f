"""The notification and escalation endpoints, through ccc.permissions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from escalations.models import Escalation, Notification
from escalations.services import escalations_fire_due
from tests import factories


@pytest.fixture
def escalated(physical_ladder, falls, call_handler, clinician):
    factories.referral(need=falls, received_by=call_handler, received_at=timezone.now() - timedelta(minutes=125))
    escalations_fire_due()
    return Escalation.objects.get(rung=1)


def endpoints(escalation: Escalation) -> dict:
    notification = Notification.objects.get(escalation=escalation)
    return {
        "notification list": ("get", "/api/v1/notifications/", None),
        "notification read": ("post", f"/api/v1/notifications/{notification.public_id}/read/", None),
        "escalation list": ("get", "/api/v1/escalations/", None),
        "acknowledge": ("post", f"/api/v1/escalations/{escalation.public_id}/acknowledge/", {"note": "Calling now"}),
    }


STAFF = {"call_handler", "clinician", "mental_clinician", "toc_member", "manager", "administrator"}
# Who succeeds; the status for everyone else (403: the role may never; 404: not yours).
ALLOWED = {
    "notification list": (STAFF, {"referrer": 403}),
    "notification read": ({"clinician"}, {"referrer": 403, **{p: 404 for p in STAFF - {"clinician"}}}),
    "escalation list": ({"manager", "administrator"}, {p: 403 for p in STAFF - {"manager", "administrator"} | {"referrer"}}),
    # Sent to the duty clinicians only: managers see it (404 would hide it) but are refused (403).
    "acknowledge": ({"clinician"}, {"referrer": 403, "manager": 403, "administrator": 403, "call_handler": 404,
                                    "mental_clinician": 404, "toc_member": 404}),
}


@pytest.fixture
def referrer(db):
    return factories.user("referrer")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_anonymous_refused(api, escalated, name):
    method, path, body = endpoints(escalated)[name]

    response = getattr(api, method)(path, body, format="json")

    assert response.status_code == 403
    assert response.data["detail"].code == "not_authenticated"


@pytest.mark.django_db
@pytest.mark.parametrize("person", [*sorted(STAFF), "referrer"])
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_each_endpoint_answers_only_who_it_is_for(request, login, escalated, name, person):
    method, path, body = endpoints(escalated)[name]
    allowed, refused = ALLOWED[name]

    response = getattr(login(request.getfixturevalue(person)), method)(path, body, format="json")

    if person in allowed:
        assert response.status_code == 200, response.data
    else:
        assert response.status_code == refused[person], response.data
    if name == "acknowledge":
        # Acknowledged exactly when allowed; a refusal leaves it untouched.
        escalated.refresh_from_db()
        assert (escalated.acknowledged_by is not None) == (person in allowed)


@pytest.mark.django_db
def test_acknowledging_twice_by_two_people_is_a_conflict(login, other_clinician, escalated, clinician):
    # Both duty clinicians were on the queue when it escalated, so both were told.
    path = f"/api/v1/escalations/{escalated.public_id}/acknowledge/"
    assert login(clinician).post(path, {"note": "Mine"}, format="json").status_code == 200

    response = login(other_clinician).post(path, {"note": "Mine too"}, format="json")

    assert response.status_code == 409
    assert str(clinician) in response.data["detail"]


@pytest.mark.django_db
def test_an_acknowledgement_needs_a_note(login, escalated, clinician):
    response = login(clinician).post(f"/api/v1/escalations/{escalated.public_id}/acknowledge/", {"note": " "},
                                     format="json")

    assert response.status_code == 400


@pytest.mark.django_db
def test_the_live_list_is_one_query_oldest_first(login, physical_ladder, falls, call_handler, clinician, manager,
                                                 django_assert_num_queries):
    now = timezone.now()
    for minutes in (200, 300, 130):
        factories.referral(need=falls, received_by=call_handler, received_at=now - timedelta(minutes=minutes))
    escalations_fire_due()
    client = login(manager)

    with django_assert_num_queries(2):  # the count for the page, the page
        response = client.get("/api/v1/escalations/")

    dues = [row["due_at"] for row in response.data["results"]]
    assert len(dues) == 3 and dues == sorted(dues)
    # Each item once, at the highest rung it has reached.
    assert [row["rung_name"] for row in response.data["results"]] == ["On-call manager", "On-call manager",
                                                                      "Duty clinician"]

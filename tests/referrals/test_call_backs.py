"""Nothing by word of mouth: a call for a busy team or clinician becomes a call-back request on the
team's list, due by its urgency, escalated when missed, until the call back is recorded or closed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ccc.audit import update_as
from ccc.exceptions import Conflict
from escalations.models import Clock, Escalation, Notification
from escalations.services import escalations_fire_due
from referrals import services
from referrals.models import CallBackRequest, Contact
from tests import factories
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db


def contact_form(key="cb-1", **overrides):
    data = {
        "submission_key": key, "caller_type": "gp", "channel": "phone", "caller_name": "Dr Okafor",
        "caller_organisation": "", "caller_phone": "0113 496 0000", "started_at": timezone.localtime().strftime("%d %m %Y %H:%M"),
        "duration_minutes": "2", "reason": "Wants the duty nurse about Mrs Bell's dressings", "outcome": "call_back",
        "signposted_to": "", "call_back_urgency": "urgent",
    }
    return {**data, **overrides}


def test_a_call_back_is_due_by_its_urgency_and_starts_a_clock_on_the_teams_queue(call_handler, irr_team, physical_queue):
    before = timezone.now()
    request = factories.call_back(actor=call_handler, team_=irr_team, urgency="urgent")

    assert before + timedelta(minutes=30) <= request.due_at <= timezone.now() + timedelta(minutes=30)
    assert request.caller_phone == "+441134960001" and request.status == "open"
    clock = Clock.objects.get(kind=services.CALL_BACK_CLOCK)
    assert (clock.subject, clock.due_at, clock.queue) == (request, request.due_at, physical_queue)


def test_a_call_back_needs_a_team_and_a_number(call_handler, irr_team):
    with pytest.raises(ValidationError, match="Select the team"):
        factories.call_back(actor=call_handler, team_=None)
    with pytest.raises(ValidationError, match="Enter the number to call back"):
        factories.call_back(actor=call_handler, team_=irr_team, caller_phone="")
    assert not CallBackRequest.objects.exists() and not Clock.objects.exists()


def test_the_clinician_asked_for_must_be_on_the_team(call_handler, irr_team, clinician):
    with pytest.raises(ValidationError, match="is not on"):
        factories.call_back(actor=call_handler, team_=irr_team, clinician=clinician)


def test_recording_the_call_back_takes_it_off_the_list_and_stops_the_clock(call_handler, irr_team, irr_clinician):
    request = factories.call_back(actor=call_handler, team_=irr_team)

    done = services.call_back_request_record(request=request, actor=irr_clinician, status="called_back", note="Spoke")

    assert (done.status, done.done_by, done.outcome_note) == ("called_back", irr_clinician, "Spoke")
    assert Clock.objects.get().state == Clock.State.ANSWERED
    assert [r.history_user for r in done.history.order_by("history_id")] == [call_handler, irr_clinician]


def test_closing_without_a_call_back_needs_a_reason(call_handler, irr_team, irr_clinician):
    request = factories.call_back(actor=call_handler, team_=irr_team)

    with pytest.raises(ValidationError, match="Enter why"):
        services.call_back_request_record(request=request, actor=irr_clinician, status="closed")
    closed = services.call_back_request_record(
        request=request, actor=irr_clinician, status="closed", note="Caller rang back and was put through"
    )
    assert closed.status == "closed"


@pytest.mark.parametrize("move, state", CallBackRequest.TRANSITIONS.refused())
def test_every_move_the_table_does_not_allow_is_refused_by_the_service(call_handler, irr_team, irr_clinician, move, state):
    request = factories.call_back(actor=call_handler, team_=irr_team)
    update_as(CallBackRequest.objects.filter(pk=request.pk), call_handler, status=state, done_by=call_handler)

    with pytest.raises(Conflict, match="already"):
        services.call_back_request_record(request=request, actor=irr_clinician, status=move, note="Reason")
    request.refresh_from_db()
    assert request.status == state


@pytest.mark.django_db(transaction=True)
def test_two_people_recording_at_once_cannot_both_win(call_handler, irr_team, irr_clinician, team_lead):
    request = factories.call_back(actor=call_handler, team_=irr_team)

    results = at_once(
        lambda: services.call_back_request_record(request=request, actor=irr_clinician, status="called_back"),
        lambda: services.call_back_request_record(request=request, actor=team_lead, status="called_back"),
    )

    assert sum(isinstance(result, Conflict) for result in results) == 1
    assert CallBackRequest.objects.get().history.count() == 2


def test_a_missed_call_back_escalates_to_the_teams_duty_clinicians(call_handler, irr_team, irr_clinician, physical_queue):
    factories.ladder(rungs=[("Duty clinician", 0, "queue_clinicians", [])])
    request = factories.call_back(actor=call_handler, team_=irr_team, urgency="urgent")

    escalations_fire_due(now=request.due_at + timedelta(minutes=1))

    request.refresh_from_db()
    assert Escalation.objects.filter(kind="escalation").count() == 1
    assert Notification.objects.filter(recipient=irr_clinician).exists()
    assert "Escalated to Duty clinician" in request.last_escalation


def test_a_contact_asking_for_a_call_back_puts_it_on_the_teams_list(client, call_handler, irr_team):
    client.force_login(call_handler)

    response = client.post(reverse("referrals:contact_log"), contact_form(call_back_team=irr_team.pk), follow=True)
    client.post(reverse("referrals:contact_log"), contact_form(call_back_team=irr_team.pk))  # a double submit

    request = CallBackRequest.objects.get()
    contact = Contact.objects.get()
    assert (request.contact, request.team, request.kind, request.urgency) == (contact, irr_team, "call_back", "urgent")
    assert (request.caller_name, request.caller_phone) == ("Dr Okafor", "+441134960000")
    assert "call-back list, due by" in response.content.decode()
    assert reverse("referrals:call_back_detail", args=[request.public_id]) in response.content.decode()


def test_a_transferred_contact_names_where_to_and_starts_the_same_clock(client, call_handler, irr_team):
    client.force_login(call_handler)

    refused = client.post(reverse("referrals:contact_log"), contact_form(outcome="transferred"))
    assert "Select the team to call back" in refused.content.decode()
    assert not Contact.objects.exists()

    client.post(reverse("referrals:contact_log"), contact_form(outcome="transferred", call_back_team=irr_team.pk))
    request = CallBackRequest.objects.get()
    assert request.kind == "transfer" and Clock.objects.get().subject == request


def test_the_teams_list_shows_its_open_call_backs_only_to_its_own_clinicians(client, call_handler, irr_team, irr_clinician,
                                                                            clinician, django_assert_max_num_queries):
    mine = factories.call_back(actor=call_handler, team_=irr_team, caller_name="Mrs Mine")
    factories.call_back(actor=call_handler, team_=factories.team(), caller_name="Mr Elsewhere")
    done = factories.call_back(actor=call_handler, team_=irr_team, caller_name="Mr Done")
    services.call_back_request_record(request=done, actor=irr_clinician, status="called_back")
    client.force_login(irr_clinician)

    with django_assert_max_num_queries(6):
        listed = client.get(reverse("referrals:call_back_list")).context["requests"]
    assert listed == [mine]
    client.force_login(clinician)  # a clinician on no team
    assert client.get(reverse("referrals:call_back_list")).context["requests"] == []
    assert client.get(reverse("referrals:call_back_detail", args=[mine.public_id])).status_code == 404


def test_the_list_is_a_fixed_number_of_queries(client, call_handler, irr_team, django_assert_num_queries):
    factories.call_back(actor=call_handler, team_=irr_team)
    client.force_login(call_handler)
    url = reverse("referrals:call_back_list")
    client.get(url)
    # session, user, the teams to choose from, the requests with their team, people and patient, unread notifications
    with django_assert_num_queries(5) as first:
        client.get(url)
    for _ in range(5):
        factories.call_back(actor=call_handler, team_=irr_team, patient=factories.patient())
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert len(response.context["requests"]) == 6


def test_recording_on_the_page_keeps_what_was_typed_when_refused(client, call_handler, irr_team, irr_clinician):
    request = factories.call_back(actor=call_handler, team_=irr_team)
    client.force_login(irr_clinician)

    response = client.post(reverse("referrals:call_back_detail", args=[request.public_id]), {"status": "closed", "note": ""})

    assert "Enter why the request is closed" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "open"


def test_the_api_makes_one_request_per_key_and_records_the_call_back(call_handler, irr_team, irr_clinician, login):
    body = {"team": irr_team.pk, "caller_name": "Iris Bell", "caller_phone": "0113 496 0001", "reason": "Dressings",
            "urgency": "soon"}
    api = login(call_handler)
    first = api.post("/api/v1/call-backs/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api.post("/api/v1/call-backs/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert CallBackRequest.objects.count() == 1

    public_id = first.data["public_id"]
    recorded = login(irr_clinician).post(f"/api/v1/call-backs/{public_id}/record/", {"status": "called_back"}, format="json")
    twice = login(call_handler).post(f"/api/v1/call-backs/{public_id}/record/", {"status": "closed", "note": "x"},
                                     format="json")
    assert recorded.status_code == 200 and recorded.data["status"] == "called_back"
    assert twice.status_code == 409 and "already called back" in str(twice.data)


def test_a_correction_cannot_turn_a_contact_into_a_transfer_nobody_is_waiting_for(call_handler):
    contact = factories.contact(actor=call_handler)

    with pytest.raises(ValidationError, match="Log a new contact"):
        services.contact_amend(contact=contact, actor=call_handler, idempotency_key="k", amendment_reason="typo",
                               outcome=Contact.Outcome.TRANSFERRED)
    assert Contact.objects.count() == 1 and not CallBackRequest.objects.exists()

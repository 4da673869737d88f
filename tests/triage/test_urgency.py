"""Urgency at intake (issue 13) and a queue ordered by an index (issue 15).

The hazard controlled here: an urgent referral waiting behind routine ones on the same queue
clock. The call handler's red-flag screen sets the urgency, the queue's target for that urgency
sets the due time and the escalation clock, the queue puts the most urgent first, and a
clinician can change the urgency with a reason.
"""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from escalations.models import Clock
from tests import factories
from triage import services
from triage.models import QueueItem, RedFlagQuestion, ResponseTarget

MIN = timedelta(minutes=1)


@pytest.fixture
def targets(physical_queue):
    """The physical health queue's triage targets per urgency (its own target, 120 minutes, for routine)."""
    for priority, minutes in (("emergency", 10), ("very_urgent", 20), ("urgent", 60)):
        ResponseTarget.objects.create(queue=physical_queue, priority=priority, triage_minutes=minutes, response_minutes=120)


@pytest.fixture
def on_the_floor(falls):
    return RedFlagQuestion.objects.create(need=falls, question="Still on the floor and cannot get up?", urgency="very_urgent")


@pytest.fixture
def head_injury(falls):
    return RedFlagQuestion.objects.create(need=falls, question="Hit their head and drowsy?", urgency="emergency")


def item_of(referral) -> QueueItem:
    return QueueItem.objects.get(referral=referral)


# The screen sets the urgency and the due time


def test_a_red_flag_answered_yes_sets_the_urgency_and_the_due_time_from_the_queue_target(
    falls, call_handler, targets, on_the_floor
):
    received = timezone.now()

    referral = factories.referral(need=falls, actor=call_handler, received_at=received, red_flags=[on_the_floor])

    item = item_of(referral)
    assert (referral.urgency, item.urgency) == ("very_urgent", "very_urgent")
    assert item.due_at == received + 20 * MIN
    assert referral.red_flags == [{"question": on_the_floor.question, "urgency": "very_urgent"}]
    assert "Urgency: Very urgent (red flags: Still on the floor" in referral.timeline.get(kind="received").summary


def test_the_escalation_clock_starts_at_once_with_the_urgent_due_time(falls, call_handler, targets, on_the_floor):
    referral = factories.referral(need=falls, actor=call_handler, red_flags=[on_the_floor])

    clock = Clock.objects.get(subject_id=referral.pk, kind="triage")
    assert (clock.state, clock.due_at) == ("open", item_of(referral).due_at)


def test_with_no_red_flag_and_no_urgency_a_referral_is_routine_due_by_the_queue_target(falls, call_handler, targets):
    received = timezone.now()

    referral = factories.referral(need=falls, actor=call_handler, received_at=received)

    assert (referral.urgency, item_of(referral).due_at) == ("routine", received + 120 * MIN)


def test_the_most_urgent_of_the_screen_and_the_chosen_urgency_wins(falls, call_handler, on_the_floor):
    lowered = factories.referral(need=falls, actor=call_handler, red_flags=[on_the_floor], urgency="routine")
    raised = factories.referral(need=falls, actor=call_handler, red_flags=[on_the_floor], urgency="emergency",
                                emergency_advice_given=True)

    assert (lowered.urgency, raised.urgency) == ("very_urgent", "emergency")


def test_a_risk_to_life_is_refused_until_the_999_advice_is_recorded(falls, call_handler, head_injury):
    with pytest.raises(ValidationError) as refused:
        factories.referral(need=falls, actor=call_handler, red_flags=[head_injury])
    assert "dial 999" in str(refused.value.message_dict["emergency_advice_given"])

    referral = factories.referral(need=falls, actor=call_handler, red_flags=[head_injury], emergency_advice_given=True)
    assert (referral.urgency, referral.emergency_advice_given) == ("emergency", True)
    assert "Caller advised to dial 999" in referral.timeline.get(kind="received").summary


def test_a_question_from_another_need_screen_is_refused_not_ignored(falls, crisis, call_handler):
    other = RedFlagQuestion.objects.create(need=crisis, question="A plan to end their life?", urgency="very_urgent")
    off = RedFlagQuestion.objects.create(need=falls, question="Asked no more", urgency="urgent", is_active=False)

    for flag in (other, off):
        with pytest.raises(ValidationError) as refused:
            factories.referral(need=falls, actor=call_handler, red_flags=[flag])
        assert "is not on the red-flag screen for Falls" in str(refused.value.message_dict["red_flags"])


def test_the_intake_service_refuses_an_urgency_it_does_not_know(falls, call_handler):
    with pytest.raises(ValidationError) as refused:
        factories.referral(need=falls, actor=call_handler, urgency="whenever")
    assert "urgency" in refused.value.message_dict


# Urgent first: on the page and over the API


def test_an_urgent_referral_made_after_routine_ones_is_first_in_the_queue_page(
    client, clinician, falls, call_handler, physical_queue, on_the_floor
):
    # Routine ones received earlier are due first by the queue's own clock: urgency still goes first.
    routine = [
        factories.referral(need=falls, actor=call_handler, received_at=timezone.now() - timedelta(hours=n))
        for n in (1, 0)
    ]
    urgent = factories.referral(need=falls, actor=call_handler, red_flags=[on_the_floor])
    client.force_login(clinician)

    response = client.get(reverse("triage:queue_detail", args=[physical_queue.code]))

    assert [item.referral for item in response.context["items"]] == [urgent, *routine]
    assert "Very urgent" in response.content.decode()


def test_an_urgent_referral_made_after_routine_ones_is_first_over_the_api(
    login, clinician, call_handler, falls, physical_queue, practice
):
    api = login(call_handler)
    patient = factories.patient()

    def refer(**extra):
        body = {"patient": str(patient.public_id), "need": "falls", "referrer_type": "gp", "referrer_name": "Dr Patel",
                "reason": "Fell", **extra}
        response = api.post("/api/v1/referrals/", body, format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)
        assert response.status_code == 201, response.data
        return response.data["reference"]

    first, second = refer(), refer()
    urgent = refer(urgency="urgent")

    items = login(clinician).get(f"/api/v1/queues/{physical_queue.code}/items/").data["results"]

    assert [item["referral"]["reference"] for item in items] == [urgent, first, second]
    assert [item["urgency"] for item in items] == ["urgent", "routine", "routine"]


def test_claim_next_takes_the_most_urgent_first(clinician, falls, call_handler, physical_queue):
    factories.referral(need=falls, actor=call_handler, received_at=timezone.now() - timedelta(hours=1))
    urgent = factories.referral(need=falls, actor=call_handler, urgency="urgent")

    claimed = services.queue_item_claim_next(queue=physical_queue, actor=clinician)

    assert claimed.referral == urgent


@pytest.mark.parametrize(
    ("body", "field"),
    [({"urgency": "asap"}, "urgency"), ({"urgency": ""}, "urgency"), ({"priority": "urgent"}, "priority"),
     ({"red_flags": [999999]}, "red_flags")],
)
def test_the_api_refuses_an_invalid_urgency_with_a_clear_400_and_records_nothing(login, call_handler, falls, body, field):
    patient = factories.patient()
    request = {"patient": str(patient.public_id), "need": "falls", "referrer_type": "gp", "referrer_name": "Dr Patel",
               "reason": "Fell", **body}

    response = login(call_handler).post("/api/v1/referrals/", request, format="json", HTTP_IDEMPOTENCY_KEY="k1")

    assert response.status_code == 400
    assert field in response.data
    assert not patient.referrals.exists()


def test_the_api_answers_with_the_urgency_and_red_flags_it_recorded(login, call_handler, falls, head_injury):
    patient = factories.patient()
    request = {"patient": str(patient.public_id), "need": "falls", "referrer_type": "gp", "referrer_name": "Dr Patel",
               "reason": "Fell", "red_flags": [head_injury.pk], "emergency_advice_given": True}

    response = login(call_handler).post("/api/v1/referrals/", request, format="json", HTTP_IDEMPOTENCY_KEY="k3")

    assert response.status_code == 201, response.data
    body = response.data
    assert (body["urgency"], body["current_urgency"], body["emergency_advice_given"]) == ("emergency", "emergency", True)
    assert body["red_flags"] == [{"question": head_injury.question, "urgency": "emergency"}]


def test_the_api_refuses_risk_to_life_without_the_999_advice(login, call_handler, falls):
    patient = factories.patient()
    request = {"patient": str(patient.public_id), "need": "falls", "referrer_type": "gp", "referrer_name": "Dr Patel",
               "reason": "Fell", "urgency": "emergency"}

    response = login(call_handler).post("/api/v1/referrals/", request, format="json", HTTP_IDEMPOTENCY_KEY="k2")

    assert response.status_code == 400
    assert "dial 999" in str(response.data["emergency_advice_given"])


def test_the_api_lists_a_need_red_flag_screen_for_call_handlers(login, call_handler, on_the_floor, head_injury):
    response = login(call_handler).get("/api/v1/red-flag-questions/?need=falls")

    assert [row["id"] for row in response.data["results"]] == [on_the_floor.pk, head_injury.pk]
    assert response.data["results"][0]["urgency"] == "very_urgent"


# A clinician changes the urgency, with a reason


def test_a_clinician_change_with_a_reason_moves_the_due_time_and_clock_and_is_in_history(
    referral, clinician, targets
):
    item = item_of(referral)
    assert item.due_at == item.routed_at + 120 * MIN

    changed = services.queue_item_urgency_change(
        item=item, actor=clinician, urgency="emergency", reason="Daughter rang back: now drowsy"
    )

    changed.refresh_from_db()
    assert (changed.urgency, changed.urgency_rank, changed.due_at) == ("emergency", 0, item.routed_at + 10 * MIN)
    assert Clock.objects.get(subject_id=referral.pk, kind="triage").due_at == changed.due_at
    last = changed.history.first()
    assert (last.urgency, last.urgency_reason, last.history_user) == ("emergency", "Daughter rang back: now drowsy", clinician)
    assert changed.history.earliest().urgency == "routine"
    summary = referral.timeline.get(kind="urgency_changed").summary
    assert summary.startswith(f"Urgency changed from Routine to Emergency by {clinician}: Daughter rang back")


def test_a_change_of_urgency_needs_a_reason_and_a_clinician_of_the_queue(referral, clinician, mental_clinician):
    item = item_of(referral)
    with pytest.raises(ValidationError):
        services.queue_item_urgency_change(item=item, actor=clinician, urgency="urgent", reason="  ")
    with pytest.raises(ValidationError):
        services.queue_item_urgency_change(item=item, actor=clinician, urgency="routine", reason="Same as now")
    with pytest.raises(Exception, match="not a clinician of"):
        services.queue_item_urgency_change(item=item, actor=mental_clinician, urgency="urgent", reason="Worse")

    assert item.history.count() == 1


def test_of_two_changes_made_on_the_same_view_only_the_first_wins(referral, clinician, other_clinician):
    from ccc.exceptions import Conflict

    item = item_of(referral)
    services.queue_item_urgency_change(
        item=item, actor=clinician, urgency="urgent", reason="Worse", expected_urgency="routine"
    )

    with pytest.raises(Conflict, match="changed while you looked: it is now urgent"):
        services.queue_item_urgency_change(
            item=item, actor=other_clinician, urgency="very_urgent", reason="Also worse", expected_urgency="routine"
        )
    item.refresh_from_db()
    assert (item.urgency, item.history.count()) == ("urgent", 2)


def test_a_warned_clock_is_warned_again_when_the_due_time_moves_later(referral, clinician, targets):
    item = item_of(referral)
    services.queue_item_urgency_change(item=item, actor=clinician, urgency="emergency", reason="Drowsy")
    Clock.objects.filter(subject_id=referral.pk).update(warned_at=timezone.now())

    services.queue_item_urgency_change(item=item, actor=clinician, urgency="routine", reason="Seen by GP, fine")

    clock = Clock.objects.get(subject_id=referral.pk, kind="triage")
    assert (clock.due_at, clock.warned_at) == (item.routed_at + 120 * MIN, None)


def test_the_urgency_page_changes_it_and_the_queue_resorts(client, clinician, falls, call_handler, physical_queue):
    first = factories.referral(need=falls, actor=call_handler, received_at=timezone.now() - timedelta(hours=1))
    later = factories.referral(need=falls, actor=call_handler)
    client.force_login(clinician)

    response = client.post(
        reverse("triage:item_urgency", args=[item_of(later).public_id]), {"urgency": "urgent", "reason": "Worse"}
    )

    assert response.status_code == 302
    queue = client.get(reverse("triage:queue_detail", args=[physical_queue.code]))
    assert [item.referral for item in queue.context["items"]] == [later, first]


def test_the_urgency_page_keeps_the_reason_when_it_refuses(client, clinician, referral):
    client.force_login(clinician)

    response = client.post(reverse("triage:item_urgency", args=[item_of(referral).public_id]), {"reason": "Worse"})

    assert response.status_code == 200
    assert "Worse" in response.content.decode()
    assert item_of(referral).urgency == "routine"


def test_a_transfer_waits_in_the_new_queue_at_the_decision_priority(referral, clinician, mental_queue):
    ResponseTarget.objects.create(queue=mental_queue, priority="very_urgent", triage_minutes=30, response_minutes=240)
    services.queue_item_claim(item=referral.queue_item, actor=clinician)

    decision = services.triage_decision_record(
        item=referral.queue_item, actor=clinician, priority="very_urgent", outcome="transfer",
        clinical_note="Crisis team", transfer_to=mental_queue,
    )

    item = item_of(referral)
    assert (item.queue, item.urgency, item.due_at) == (mental_queue, "very_urgent", decision.decided_at + 30 * MIN)


# Bounded: one page of the index, query counts flat as the queue grows


def test_the_queue_page_shows_fifty_with_the_count_and_a_next_page(client, clinician, falls, call_handler, physical_queue):
    for _ in range(52):
        factories.referral(need=falls, actor=call_handler)
    client.force_login(clinician)
    url = reverse("triage:queue_detail", args=[physical_queue.code])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert len(first.context["items"]) == 50
    assert "Showing 1 to 50 of 52 open referrals" in first.content.decode()
    assert 'data-testid="queue-next-page"' in first.content.decode()
    assert len(second.context["items"]) == 2


def test_the_queue_page_fragment_and_api_are_fixed_query_counts_as_the_queue_grows(
    client, login, clinician, falls, call_handler, physical_queue, django_assert_num_queries
):
    page = reverse("triage:queue_detail", args=[physical_queue.code])
    fragment = reverse("triage:queue_items_fragment", args=[physical_queue.code])
    api_url = f"/api/v1/queues/{physical_queue.code}/items/"
    factories.referral(need=falls, actor=call_handler)
    client.force_login(clinician)

    # Page: session, user, queue, the clinician's queues, the count, one page of items (referral, patient,
    # need, claimer joined; the warning flag a subquery), unread notifications, the rota, locality teams.
    # Fragment: the same without the header and the locality filter (the rota still says "may reassign").
    # API: the clinician's queues, the queue, the count, one page.
    for rows in (1, 60):
        while QueueItem.objects.count() < rows:
            factories.referral(need=falls, actor=call_handler)
        with django_assert_num_queries(9):
            assert len(client.get(page).context["items"]) == min(rows, 50)
        with django_assert_num_queries(7):
            assert len(client.get(fragment).context["items"]) == min(rows, 50)
        api = login(clinician)  # a fresh user each time, as a request would have
        with django_assert_num_queries(4):
            assert len(api.get(api_url).data["results"]) == min(rows, 50)


@pytest.mark.django_db
def test_the_queue_reads_its_order_off_the_open_order_index(physical_queue):
    from django.db import connection

    from triage import selectors

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = selectors.queue_items(queue=physical_queue)[:50].explain()

    assert "queueitem_open_order_idx" in plan
    assert "Sort" not in plan.split("Index")[0]  # no sort of every open item before the LIMIT

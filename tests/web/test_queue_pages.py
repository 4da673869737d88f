"""A duty clinician working their queue in the browser."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from triage import services
from triage.models import QueueItem, TriageDecision

NO_RISK = {"risk_to_self": "none", "risk_to_others": "none", "risk_from_others": "none"}


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client


def test_the_queue_is_ordered_by_how_soon_each_item_is_due(clinician_client, falls, call_handler, physical_queue):
    now = timezone.now()
    later = factories.referral(need=falls, actor=call_handler, received_at=now)
    overdue = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(hours=3))
    middle = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(hours=1))

    response = clinician_client.get(reverse("triage:queue_detail", args=[physical_queue.code]))

    assert [item.referral for item in response.context["items"]] == [overdue, middle, later]
    assert "Overdue by 1 hour" in response.content.decode()


def test_claim_next_takes_the_soonest_and_opens_the_triage_form(clinician_client, falls, call_handler, physical_queue, clinician):
    factories.referral(need=falls, actor=call_handler)
    soonest = factories.referral(need=falls, actor=call_handler, received_at=timezone.now() - timedelta(hours=1))

    response = clinician_client.post(reverse("triage:queue_claim_next", args=[physical_queue.code]))

    soonest.queue_item.refresh_from_db()
    assert soonest.queue_item.claimed_by == clinician
    assert response.url == reverse("triage:item_triage", args=[soonest.queue_item.public_id])


def test_the_loser_of_a_claim_is_told_who_has_it(client, referral, clinician, other_clinician):
    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    client.force_login(other_clinician)

    response = client.post(reverse("triage:item_claim", args=[referral.queue_item.public_id]), follow=True)

    assert f"already claimed by {clinician}" in response.content.decode()
    referral.queue_item.refresh_from_db()
    assert referral.queue_item.claimed_by == clinician


def test_recording_a_triage_decision(clinician_client, referral, clinician):
    services.queue_item_claim(item=referral.queue_item, actor=clinician)

    response = clinician_client.post(
        reverse("triage:item_triage", args=[referral.queue_item.public_id]),
        {"priority": "urgent", "outcome": "accept", "clinical_note": "Two-hour response: visit today", **NO_RISK},
    )

    # Issue 5: starting an IRR episode goes on to open it.
    decision = TriageDecision.objects.get()
    assert response.url == reverse("irr:episode_open", args=[decision.public_id])
    assert (decision.priority, decision.outcome, decision.decided_by) == ("urgent", "accept", clinician)


def test_a_decision_on_an_unclaimed_item_is_refused_and_the_note_kept(clinician_client, referral):
    response = clinician_client.post(
        reverse("triage:item_triage", args=[referral.queue_item.public_id]),
        {"priority": "routine", "outcome": "signpost", "clinical_note": "My careful note",
         "signposted_to": "Befriending service", **NO_RISK},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Claim this referral from the queue" in page
    assert "My careful note" in page
    assert not TriageDecision.objects.exists()


def test_a_decision_without_a_note_asks_for_one(clinician_client, referral, clinician):
    services.queue_item_claim(item=referral.queue_item, actor=clinician)

    response = clinician_client.post(
        reverse("triage:item_triage", args=[referral.queue_item.public_id]), {"priority": "routine", "outcome": "accept"}
    )

    assert "There is a problem" in response.content.decode()
    referral.queue_item.refresh_from_db()
    assert referral.queue_item.status == QueueItem.Status.CLAIMED


def test_the_queue_page_is_a_fixed_number_of_queries(clinician_client, falls, call_handler, physical_queue, django_assert_num_queries):
    url = reverse("triage:queue_detail", args=[physical_queue.code])
    factories.referral(need=falls, actor=call_handler)
    clinician_client.get(url)

    # session, user, queue, the clinician's queues (permission), items with referral, patient, need, claimer,
    # unread notifications (the header), the rota now (read once for "on duty" and "may reassign"),
    # the locality teams offered as a filter, the count of open items (the page shows 50 at a time);
    # the warning flag is a subquery of the items query
    with django_assert_num_queries(9):
        clinician_client.get(url)
    for _ in range(6):
        factories.referral(need=falls, actor=call_handler)
    with django_assert_num_queries(9):
        response = clinician_client.get(url)
    assert len(response.context["items"]) == 7


def test_the_triage_form_offers_only_real_answers(clinician_client, referral, clinician):
    services.queue_item_claim(item=referral.queue_item, actor=clinician)

    form = clinician_client.get(reverse("triage:item_triage", args=[referral.queue_item.public_id])).context["form"]

    assert [value for value, _ in form.fields["priority"].choices] == ["emergency", "very_urgent", "urgent", "routine"]
    assert "" not in [value for value, _ in form.fields["outcome"].choices]

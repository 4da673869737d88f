"""A referrer cancels their own referral before triage, on the page or over the API (issue 16): one
service (``referral_cancel``, which a FHIR cancellation calls too), a reason required, the queue item
withdrawn, its clock stopped, who and why kept, and only ever one cancellation."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ccc.exceptions import Conflict
from escalations.models import Clock, Notification
from referrals.models import TimelineEvent
from tests import factories
from tests.triage.test_parity import records
from triage import selectors as triage_selectors
from triage import services as triage_services
from triage.models import QueueItem

pytestmark = pytest.mark.django_db

REASON = {"reason": "Sent for the wrong patient"}


def cancel_url(referral) -> str:
    return reverse("referrals:referral_cancel", args=[referral.public_id])


def api_url(referral) -> str:
    return f"/api/v1/tracked-referrals/{referral.public_id}/cancel/"


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


@pytest.fixture
def twins(practice_referral, falls, call_handler, practice):
    """Two like referrals of Ash Tree Surgery waiting in the same queue: one cancelled each way."""
    return practice_referral, factories.referral(need=falls, actor=call_handler, referring_practice=practice)


def open_triage_clock(referral) -> bool:
    return Clock.objects.filter(subject_id=referral.pk, kind="triage", state=Clock.State.OPEN).exists()


def test_a_cancellation_on_the_page_and_over_the_api_agree(client, twins, referrer):
    on_page, over_api = twins
    client.force_login(referrer)

    page = client.post(cancel_url(on_page), REASON)
    response = api_as(referrer).post(api_url(over_api), REASON, format="json")

    assert (page.status_code, response.status_code) == (302, 200)
    assert page["Location"] == reverse("referrals:tracking_detail", args=[on_page.public_id])
    assert (response.data["stage"], response.data["stage_label"], response.data["cancellable"]) == (
        "withdrawn", "Cancelled", False
    )
    assert QueueItem.objects.get(referral=on_page).status == QueueItem.Status.WITHDRAWN
    assert records(on_page) == records(over_api)
    for referral in twins:
        assert not open_triage_clock(referral)


def test_the_cancellation_records_who_and_why_and_the_clinician_no_longer_sees_it(
    client, practice_referral, referrer, clinician, physical_queue
):
    client.force_login(referrer)
    assert practice_referral.queue_item in triage_selectors.queue_items(queue=physical_queue)

    tracking = client.post(cancel_url(practice_referral), REASON, follow=True).content.decode()

    item = QueueItem.objects.get(referral=practice_referral)
    last = practice_referral.timeline.order_by("occurred_at", "pk").last()
    assert (last.kind, last.actor, last.summary) == (
        TimelineEvent.Kind.WITHDRAWN, referrer, f"Cancelled by {referrer}: Sent for the wrong patient"
    )
    latest = item.history.first()
    assert (latest.status, latest.history_user, latest.handover_reason) == ("withdrawn", referrer, REASON["reason"])
    assert item not in triage_selectors.queue_items(queue=physical_queue)
    assert "Cancelled" in tracking and "Sent for the wrong patient" in tracking
    assert cancel_url(practice_referral) not in tracking  # nothing left to cancel
    client.force_login(clinician)
    queue_page = client.get(reverse("triage:queue_detail", args=["physical-health"])).content.decode()
    assert practice_referral.reference not in queue_page


def test_the_tracking_page_offers_cancelling_only_while_it_may_be_cancelled(client, practice_referral, referrer):
    client.force_login(referrer)

    page = client.get(reverse("referrals:tracking_detail", args=[practice_referral.public_id])).content.decode()

    assert cancel_url(practice_referral) in page


def test_another_practices_referrer_cannot_cancel_it(client, practice_referral, other_referrer):
    client.force_login(other_referrer)

    page = client.post(cancel_url(practice_referral), REASON)
    response = api_as(other_referrer).post(api_url(practice_referral), REASON, format="json")

    assert (page.status_code, response.status_code) == (404, 404)
    assert QueueItem.objects.get(referral=practice_referral).status == QueueItem.Status.WAITING


def test_a_referral_already_triaged_cannot_be_cancelled(client, practice_referral, referrer, clinician):
    item = triage_services.queue_item_claim(item=practice_referral.queue_item, actor=clinician)
    triage_services.triage_decision_record(
        item=item, actor=clinician, priority="urgent", outcome="accept", clinical_note="Seen"
    )
    client.force_login(referrer)

    page = client.post(cancel_url(practice_referral), REASON)
    response = api_as(referrer).post(api_url(practice_referral), REASON, format="json")

    assert page.status_code == 200 and "already been triaged" in page.content.decode()
    assert response.status_code == 409
    assert QueueItem.objects.get(referral=practice_referral).status == QueueItem.Status.TRIAGED


def test_a_claimed_referral_may_still_be_cancelled_its_clinician_is_told_and_its_triage_refused(
    practice_referral, referrer, clinician
):
    item = triage_services.queue_item_claim(item=practice_referral.queue_item, actor=clinician)

    assert api_as(referrer).post(api_url(practice_referral), REASON, format="json").status_code == 200

    told = Notification.objects.get(recipient=clinician)
    assert told.message == f"Referral {practice_referral.reference} was cancelled by its referrer: Sent for the wrong patient"
    assert told.url == reverse("referrals:referral_detail", args=[practice_referral.public_id])
    with pytest.raises(Conflict):
        triage_services.triage_decision_record(
            item=item, actor=clinician, priority="urgent", outcome="accept", clinical_note="Seen"
        )


def test_a_cancellation_without_a_reason_is_refused_and_changes_nothing(client, practice_referral, referrer):
    client.force_login(referrer)

    page = client.post(cancel_url(practice_referral), {"reason": "  "})
    response = api_as(referrer).post(api_url(practice_referral), {}, format="json")

    assert page.status_code == 200 and "Enter why" in page.content.decode()
    assert response.status_code == 400 and "reason" in response.data
    assert QueueItem.objects.get(referral=practice_referral).status == QueueItem.Status.WAITING
    assert open_triage_clock(practice_referral)


def test_a_double_submit_is_one_cancellation(client, practice_referral, referrer):
    client.force_login(referrer)

    first = client.post(cancel_url(practice_referral), REASON)
    second = client.post(cancel_url(practice_referral), {"reason": "Clicked twice"})
    by_api = api_as(referrer).post(api_url(practice_referral), REASON, format="json")

    assert (first.status_code, second.status_code, by_api.status_code) == (302, 302, 200)
    item = QueueItem.objects.get(referral=practice_referral)
    assert item.handover_reason == REASON["reason"]
    assert item.history.filter(status="withdrawn").count() == 1
    assert practice_referral.timeline.filter(kind=TimelineEvent.Kind.WITHDRAWN).count() == 1


def test_an_api_cancellation_keeps_its_query_count(practice_referral, referrer, django_assert_max_num_queries):
    client = api_as(referrer)

    # The referral read, locked, moved with its history, timeline and clock, then read back as tracked.
    with django_assert_max_num_queries(23):
        assert client.post(api_url(practice_referral), REASON, format="json").status_code == 200

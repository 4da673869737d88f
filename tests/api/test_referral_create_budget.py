"""Recording a referral validates with one query per concern, not one per field: the foreign keys
it was given as loaded objects, a new row's random public id, the rows the service made in the
same transaction and the keys it has just looked up are left to the database's constraints; the
rules with a clear message (an idempotency key used twice, the same NHS number) are still checked
before the insert. The page records it the same way as the API."""

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from referrals.models import Referral

REFERRALS = "/api/v1/referrals/"
# Measured and pinned with a ladder on the queue, as in a live place: patient and need (the
# request's own lookups), the idempotency key, routing with the queue's triage target for the
# urgency, out of hours (dates and periods in one query), the transaction (2), the referral, its
# queue item and its clock each with its history (6), the ladder with its first rung, and the
# timeline's received and routed steps in one insert. The answer reads nothing back. Was 30.
CREATE_QUERIES = 15


def test_a_referral_is_created_within_its_query_budget(
    login, call_handler, referral_body, physical_ladder, django_assert_num_queries
):
    client = login(call_handler)
    client.post(REFERRALS, referral_body(), format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)  # warm caches

    with django_assert_num_queries(CREATE_QUERIES):
        response = client.post(REFERRALS, referral_body(), format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)

    assert response.status_code == 201
    assert [step["kind"] for step in response.data["timeline"]] == ["received", "routed"]
    assert response.data["decisions"] == [] and response.data["due_at"]
    made = Referral.objects.get(public_id=response.data["public_id"])
    assert made.queue_item.queue.escalation_ladders.exists()
    assert made.history.count() == 1 and made.queue_item.history.count() == 1


# The page's POST: the session and the user (2), the patient by its selector, the need and the
# model's check of it, the open referrals of that need in the queue it routes to for the warning
# (routing, out of hours, the referrals: 3), and the same write as the API's. Was 22: the need
# list for the form's choices is read only when the form is drawn.
PAGE_CREATE_QUERIES = 21


def test_a_referral_recorded_on_the_page_stays_within_its_query_budget(
    client, call_handler, adult, falls, physical_ladder
):
    client.force_login(call_handler)
    url = reverse("referrals:referral_create", args=[adult.public_id])
    form = {
        "referrer_type": "gp", "referrer_name": "Dr Jones", "reason": "Fall at home, struggling to mobilise",
        "need": falls.pk,
    }
    client.post(url, {**form, "submission_key": uuid.uuid4().hex})  # warm caches

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {**form, "submission_key": uuid.uuid4().hex, "proceed_despite_open": "on"})

    assert response.status_code == 302, response.content[:500]
    assert Referral.objects.count() == 2
    assert len(queries) <= PAGE_CREATE_QUERIES, "\n".join(query["sql"][:150] for query in queries)

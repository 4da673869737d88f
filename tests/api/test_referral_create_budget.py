"""Recording a referral over the API validates with one query per concern, not one per field:
the foreign keys it was given as loaded objects and a new row's random public id are left to
the database's constraints; the rules with a clear message (an idempotency key used twice, the
same NHS number) are still checked before the insert."""

import uuid

from referrals.models import Referral

REFERRALS = "/api/v1/referrals/"
# Measured and pinned with a ladder on the queue, as in a live place. The one-row lookups
# full_clean made per foreign key and public id (ten in this request) are gone; what is left is
# routing, the inserts with their history and timeline, the clock, and the answer's reads.
CREATE_QUERIES = 30  # with the queue's triage target for the referral's urgency


def test_a_referral_is_created_within_its_query_budget(
    login, call_handler, referral_body, physical_ladder, django_assert_num_queries
):
    client = login(call_handler)
    client.post(REFERRALS, referral_body(), format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)  # warm caches

    with django_assert_num_queries(CREATE_QUERIES):
        response = client.post(REFERRALS, referral_body(), format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex)

    assert response.status_code == 201
    assert Referral.objects.count() == 2
    assert Referral.objects.get(public_id=response.data["public_id"]).queue_item.queue.escalation_ladders.exists()

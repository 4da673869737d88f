"""The frequent writes besides referral create, each within a pinned number of queries (measured
with the fixtures' ladders and targets; a change that adds a per-field lookup or a read of what
was just written fails here). Referral create: tests/api/test_referral_create_budget.py."""

import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

# Measured 2026-11-30 and pinned. Claim was 15 and triage 24: the item's and the clock's saves
# validated fields they do not write (a unique check each on its public id and referral or
# subject, an existence check per foreign key), and the clock's stop took a savepoint of its own.
CLAIM_QUERIES = 12
TRIAGE_QUERIES = 14
VISIT_RECORD_QUERIES = 26  # not yet cut
REGISTER_QUERIES = 37  # not yet cut


def within(budget: int, send) -> object:
    with CaptureQueriesContext(connection) as queries:
        response = send()
    assert response.status_code in (200, 201), getattr(response, "data", response)
    assert len(queries) <= budget, "\n".join(query["sql"][:160] for query in queries)
    return response


def test_claiming_and_triaging_stay_within_their_query_budgets(login, referral, clinician, physical_ladder):
    client = login(clinician)
    item = referral.queue_item.public_id

    within(CLAIM_QUERIES, lambda: client.post(f"/api/v1/queue-items/{item}/claim/"))
    body = {"priority": "urgent", "outcome": "accept", "clinical_note": "Visit today", "risk_to_self": "low",
            "risk_to_others": "none", "risk_from_others": "none", "safeguarding_concern": False,
            "lone_working_risk": False}
    within(TRIAGE_QUERIES, lambda: client.post(f"/api/v1/queue-items/{item}/triage/", body, format="json"))


def test_recording_a_visit_stays_within_its_query_budget(login, referral, irr_clinician):
    episode = factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician),
                                lead=irr_clinician)
    nurse = factories.member(episode_=episode)
    visit = factories.visit(episode_=episode, actor=irr_clinician, staff=[nurse])

    within(VISIT_RECORD_QUERIES, lambda: login(irr_clinician).post(
        f"/api/v1/irr-visits/{visit.public_id}/record/", {"outcome": "Seen at home, settled"}, format="json"
    ))


def test_registering_a_patient_for_transfer_of_care_stays_within_its_query_budget(login, toc_nurse, toc_body):
    within(REGISTER_QUERIES, lambda: login(toc_nurse).post(
        "/api/v1/toc/register/", toc_body, format="json", HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex
    ))

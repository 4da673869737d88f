"""Columns the services store so the dashboard reads one index: they stay right through every write."""

import uuid
from datetime import date

from ccc.reporting import Period, PeriodKind, Scope
from referrals.models import Contact
from referrals.selectors.figures import contacts_by_outcome
from referrals.services.contacts import contact_amend, contact_signpost
from tests import factories
from triage import services
from triage.models import QueueItem, TriageDecision
from triage.selectors import time_to_triage

EVERYWHERE = Scope(None)


def today() -> Period:
    return Period.around(PeriodKind.DAY, date.today())


def decide(item, actor, **kwargs):
    services.queue_item_claim(item=item, actor=actor)
    return services.triage_decision_record(item=item, actor=actor, clinical_note="Assessed by phone", **kwargs)


def test_a_decision_stores_its_time_and_priority_on_the_item_and_a_transfer_clears_them(
    falls, call_handler, clinician, mental_clinician, physical_queue, mental_queue
):
    referral = factories.referral(need=falls, actor=call_handler)
    item = referral.queue_item
    assert (item.triaged_at, item.triaged_priority) == (None, "")

    decide(item, clinician, priority="urgent", outcome="transfer", transfer_to=mental_queue)
    item.refresh_from_db()
    assert (item.status, item.triaged_at, item.triaged_priority) == ("waiting", None, "")
    assert time_to_triage(today(), EVERYWHERE) == []  # a transfer is not a triage in the queue it sends to

    decision = decide(item, mental_clinician, priority="very_urgent", outcome="no_further_action")
    item.refresh_from_db()
    assert (item.triaged_at, item.triaged_priority) == (decision.decided_at, "very_urgent")
    assert TriageDecision.objects.filter(queue_item=item).count() == 2
    [row] = time_to_triage(today(), EVERYWHERE)
    assert (row["queue"], row["priority"], row["triaged"]) == (mental_queue.name, "Very urgent", 1)


def test_the_stored_decision_matches_the_items_last_decision_for_every_triaged_item(
    falls, call_handler, clinician
):
    for outcome in ("accept", "no_further_action", "refer_on"):
        extra = {"referred_to": "District nursing"} if outcome == "refer_on" else {}
        decide(factories.referral(need=falls, actor=call_handler).queue_item, clinician, priority="urgent",
               outcome=outcome, **extra)
    factories.referral(need=falls, actor=call_handler)  # still waiting

    for item in QueueItem.objects.prefetch_related("decisions"):
        last = max(item.decisions.all(), key=lambda d: (d.decided_at, d.pk), default=None)
        expected = (last.decided_at, last.priority) if item.status == "triaged" else (None, "")
        assert (item.triaged_at, item.triaged_priority) == expected


def test_amending_a_contact_clears_is_current_on_the_version_it_replaces_only(call_handler):
    first = factories.contact(actor=call_handler, outcome=Contact.Outcome.ADVICE_GIVEN)
    second, _ = contact_amend(
        contact=first, actor=call_handler, idempotency_key=uuid.uuid4().hex,
        amendment_reason="It was just to talk", outcome=Contact.Outcome.JUST_TO_TALK,
    )
    third = contact_signpost(
        contact=second, signposted_to="Age UK befriending", actor=call_handler, idempotency_key=uuid.uuid4().hex
    )
    again, created = contact_amend(  # the same submission twice changes nothing more
        contact=second, actor=call_handler, idempotency_key=third.idempotency_key,
        amendment_reason="Signposted", outcome=Contact.Outcome.JUST_TO_TALK,
    )

    assert (again, created) == (third, False)
    flags = dict(Contact.objects.values_list("pk", "is_current"))
    assert flags == {first.pk: False, second.pk: False, third.pk: True}
    # The flag and the chain of versions agree.
    assert set(Contact.objects.filter(is_current=True)) == set(Contact.objects.filter(amended_by__isnull=True))
    counted = {row["outcome"]: row["contacts"] for row in contacts_by_outcome(today(), EVERYWHERE) if row["contacts"]}
    assert counted == {"Just to talk": 1}

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ccc.exceptions import Conflict
from tests import factories
from tests.concurrency import at_once
from triage import services
from triage.models import QueueItem, TriageDecision


def claim(item, actor):
    return services.queue_item_claim(item=item, actor=actor)


def triage(item, actor, **kwargs):
    kwargs.setdefault("priority", TriageDecision.Priority.URGENT)
    kwargs.setdefault("outcome", TriageDecision.Outcome.ACCEPT)
    kwargs.setdefault("clinical_note", "Seen on video call; needs a visit within 2 hours.")
    return services.triage_decision_record(item=item, actor=actor, **kwargs)


def test_claiming_gives_the_item_to_the_clinician(referral, clinician):
    item = claim(referral.queue_item, clinician)

    item.refresh_from_db()
    assert (item.status, item.claimed_by) == (QueueItem.Status.CLAIMED, clinician)
    assert referral.timeline.filter(kind="claimed", actor=clinician).exists()
    assert item.history.first().history_user == clinician


def test_the_second_claim_loses_and_is_told_who_won(referral, clinician, other_clinician):
    claim(referral.queue_item, clinician)

    with pytest.raises(Conflict, match=f"already claimed by {clinician}"):
        claim(referral.queue_item, other_clinician)

    referral.queue_item.refresh_from_db()
    assert referral.queue_item.claimed_by == clinician


def test_claiming_twice_yourself_is_harmless(referral, clinician):
    claim(referral.queue_item, clinician)
    claim(referral.queue_item, clinician)

    assert referral.timeline.filter(kind="claimed").count() == 1


def test_claim_next_takes_the_item_due_soonest(falls, call_handler, clinician):
    now = timezone.now()
    later = factories.referral(need=falls, actor=call_handler, received_at=now)
    sooner = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(minutes=90))

    first = services.queue_item_claim_next(queue=falls.routing_rule.queue, actor=clinician)
    second = services.queue_item_claim_next(queue=falls.routing_rule.queue, actor=clinician)
    third = services.queue_item_claim_next(queue=falls.routing_rule.queue, actor=clinician)

    assert (first.referral, second.referral, third) == (sooner, later, None)


def test_a_triage_decision_closes_the_item(referral, clinician):
    claim(referral.queue_item, clinician)

    decision = triage(
        referral.queue_item, clinician, outcome=TriageDecision.Outcome.SIGNPOST, signposted_to="Befriending service"
    )

    referral.queue_item.refresh_from_db()
    assert referral.queue_item.status == QueueItem.Status.TRIAGED
    assert decision.decided_by == clinician
    assert decision.history.get().history_user == clinician
    kinds = list(referral.timeline.values_list("kind", flat=True))
    assert kinds[-1] == "triaged"


def test_it_refuses_a_decision_on_an_unclaimed_item(referral, clinician):
    with pytest.raises(Conflict, match="Claim this referral"):
        triage(referral.queue_item, clinician)
    assert not TriageDecision.objects.exists()


def test_it_refuses_a_decision_on_someone_elses_claim(referral, clinician, other_clinician):
    claim(referral.queue_item, clinician)

    with pytest.raises(Conflict, match=f"claimed by {clinician}"):
        triage(referral.queue_item, other_clinician)
    assert not TriageDecision.objects.exists()


def test_a_double_submitted_decision_is_recorded_once(referral, clinician):
    claim(referral.queue_item, clinician)
    triage(referral.queue_item, clinician)

    with pytest.raises(Conflict, match="already been triaged"):
        triage(referral.queue_item, clinician)
    assert TriageDecision.objects.count() == 1


def test_notifying_tells_the_queues_clinicians_once(referral, clinician, other_clinician):
    # The worker is not running in this test: call the service the task calls.
    assert services.queue_item_notify(item_id=referral.queue_item.pk) is True
    assert services.queue_item_notify(item_id=referral.queue_item.pk) is False

    assert len(mail.outbox) == 1
    assert set(mail.outbox[0].to) == {clinician.email, other_clinician.email}
    assert referral.patient.family_name not in mail.outbox[0].body  # no patient details by e-mail
    assert referral.timeline.filter(kind="notified").count() == 1
    # notified_at is kept in the item's history: one change, made by the system (no user).
    notified = [h for h in referral.queue_item.history.order_by("history_id") if h.notified_at is not None]
    assert [(h.history_type, h.history_user_id) for h in notified] == [("~", None)]


def test_the_sweep_notifies_only_items_past_their_grace(falls, call_handler, settings):
    settings.CCC_NOTIFY_GRACE_SECONDS = 60
    old = factories.referral(need=falls, actor=call_handler, received_at=timezone.now() - timedelta(minutes=5))
    new = factories.referral(need=falls, actor=call_handler)

    assert services.notify_pending_queue_items() == 1

    old.queue_item.refresh_from_db()
    new.queue_item.refresh_from_db()
    assert old.queue_item.notified_at is not None
    assert new.queue_item.notified_at is None


@pytest.mark.django_db(transaction=True)
def test_two_clinicians_claiming_at_the_same_moment_cannot_both_win(falls, call_handler, clinician, other_clinician):
    referral = factories.referral(need=falls, actor=call_handler)
    item_id = referral.queue_item.pk

    outcomes = at_once(
        lambda: claim(QueueItem.objects.get(pk=item_id), clinician),
        lambda: claim(QueueItem.objects.get(pk=item_id), other_clinician),
    )

    lost = [isinstance(outcome, Conflict) for outcome in outcomes]
    assert sorted(lost) == [False, True]
    winner = clinician if not lost[0] else other_clinician
    referral.queue_item.refresh_from_db()
    assert referral.queue_item.claimed_by == winner
    assert referral.timeline.filter(kind="claimed").count() == 1

"""Working a duty queue: order, filters, release, reassign, every outcome, targets and sensitive notes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.exceptions import Conflict
from ccc.permissions import Action, can
from referrals.models import Referral
from tests import factories
from tests.concurrency import at_once
from triage import selectors, services
from triage.models import QueueItem, SensitiveNoteView, TriageDecision


def claim(item, actor):
    return services.queue_item_claim(item=item, actor=actor)


def decide(item, actor, **kwargs):
    kwargs.setdefault("priority", "urgent")
    kwargs.setdefault("clinical_note", "Assessed by phone")
    return services.triage_decision_record(item=item, actor=actor, **kwargs)


# Ordering and filters


def test_items_due_together_are_ordered_by_priority_then_age(falls, call_handler, clinician, mental_clinician, crisis, physical_queue):
    now = timezone.now()
    older = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(minutes=30))
    newer = factories.referral(need=falls, actor=call_handler, received_at=now - timedelta(minutes=10))
    # Transferred in from mental health as an emergency: due when it arrived plus the target.
    transferred = factories.referral(need=crisis, actor=call_handler)
    claim(transferred.queue_item, mental_clinician)
    decide(transferred.queue_item, mental_clinician, priority="emergency", outcome="transfer", transfer_to=physical_queue)
    same_due = QueueItem.objects.get(referral=transferred).due_at
    QueueItem.objects.filter(referral__in=[older, newer]).update(due_at=same_due)

    order = [item.referral for item in selectors.queue_items(queue=physical_queue)]

    assert order == [transferred, older, newer]


def test_filters_by_status_source_locality_and_my_claims(falls, call_handler, clinician, other_clinician, physical_queue):
    leeds = factories.referral(need=falls, actor=call_handler, patient_=factories.patient(postcode="LS1 4AP"))
    bradford = factories.referral(
        need=falls, actor=call_handler, patient_=factories.patient(postcode="BD1 1AA"),
        referrer_type=Referral.ReferrerType.WARD,
    )
    mine = factories.referral(need=falls, actor=call_handler, patient_=factories.patient(postcode="LS10 1AA"))
    claim(mine.queue_item, clinician)
    claim(bradford.queue_item, other_clinician)

    def refs(**filters):
        return {item.referral for item in selectors.queue_items(queue=physical_queue, **filters)}

    assert refs(status="waiting") == {leeds}
    assert refs(referrer_type="ward") == {bradford}
    assert refs(postcode_district="LS1") == {leeds}  # not LS10
    assert refs(claimed_by=clinician) == {mine}


def test_filters_from_a_query_string_ignore_what_they_do_not_know(clinician):
    filters = selectors.queue_filters({"status": "triaged", "priority": "urgent", "postcode_district": " ls1 ", "mine": "1"}, clinician)

    # "priority", the filter's old name, now filters by the urgency stored on the item.
    assert filters == {"urgency": "urgent", "postcode_district": "LS1", "claimed_by": clinician}


# Release and reassign


def test_releasing_puts_the_item_back_with_the_reason(referral, clinician):
    claim(referral.queue_item, clinician)

    item = services.queue_item_release(item=referral.queue_item, actor=clinician, reason="Going on a home visit")

    assert (item.status, item.claimed_by, item.handover_reason) == ("waiting", None, "Going on a home visit")
    assert referral.timeline.get(kind="released").summary.endswith("Going on a home visit")


def test_release_needs_a_reason_and_your_own_claim(referral, clinician, other_clinician):
    claim(referral.queue_item, clinician)

    with pytest.raises(ValidationError):
        services.queue_item_release(item=referral.queue_item, actor=clinician, reason="  ")
    with pytest.raises(Conflict, match=f"claimed by {clinician}"):
        services.queue_item_release(item=referral.queue_item, actor=other_clinician, reason="Tidying up")


def test_a_team_lead_reassigns_a_claimed_item(referral, clinician, other_clinician, team_lead):
    claim(referral.queue_item, clinician)

    item = services.queue_item_reassign(
        item=referral.queue_item, to=other_clinician, actor=team_lead, reason="Off sick", expected_holder=clinician
    )

    assert item.claimed_by == other_clinician
    assert referral.timeline.get(kind="reassigned").actor == team_lead


def test_the_duty_lead_may_reassign_and_a_plain_clinician_may_not(referral, clinician, other_clinician, physical_queue):
    claim(referral.queue_item, clinician)
    # Who may reassign is the permission module's to say; the page and the API ask it first.
    assert not can(other_clinician, Action.QUEUE_ITEM_REASSIGN, referral.queue_item)

    factories.on_duty_now(queue=physical_queue, clinician=other_clinician, is_lead=True)
    factories.on_duty_now(queue=physical_queue, clinician=clinician)
    referral.queue_item.refresh_from_db()  # the rota read above is kept on the queue object for the minute
    assert can(other_clinician, Action.QUEUE_ITEM_REASSIGN, referral.queue_item)
    services.queue_item_reassign(
        item=referral.queue_item, to=other_clinician, actor=other_clinician, reason="Lead takes it", expected_holder=clinician
    )


def test_reassigning_to_someone_outside_the_queue_is_refused(referral, clinician, mental_clinician, team_lead):
    claim(referral.queue_item, clinician)

    with pytest.raises(ValidationError, match="not a clinician of"):
        services.queue_item_reassign(
            item=referral.queue_item, to=mental_clinician, actor=team_lead, reason="Help", expected_holder=clinician
        )


@pytest.mark.django_db(transaction=True)
def test_a_release_and_a_reassignment_at_once_exactly_one_wins(falls, call_handler, physical_queue):
    from ccc.models import User

    holder = factories.user(User.Role.DUTY_CLINICIAN, queues=[physical_queue])
    other = factories.user(User.Role.DUTY_CLINICIAN, queues=[physical_queue])
    lead = factories.user(User.Role.TEAM_LEAD, queues=[physical_queue])
    referral = factories.referral(need=falls, actor=call_handler)
    claim(referral.queue_item, holder)
    item_id = referral.queue_item.pk

    outcomes = at_once(
        lambda: services.queue_item_release(item=QueueItem.objects.get(pk=item_id), actor=holder, reason="Break"),
        lambda: services.queue_item_reassign(
            item=QueueItem.objects.get(pk=item_id), to=other, actor=lead, reason="Cover", expected_holder=holder
        ),
    )

    lost = [isinstance(outcome, Conflict) for outcome in outcomes]
    assert sorted(lost) == [False, True], outcomes
    item = QueueItem.objects.get(pk=item_id)
    assert item.claimed_by == (None if not lost[0] else other)


@pytest.mark.django_db(transaction=True)
def test_two_reassignments_of_the_same_item_at_once_exactly_one_wins(falls, call_handler, physical_queue):
    from ccc.models import User

    holder, first, second = (factories.user(User.Role.DUTY_CLINICIAN, queues=[physical_queue]) for _ in range(3))
    lead = factories.user(User.Role.TEAM_LEAD, queues=[physical_queue])
    referral = factories.referral(need=falls, actor=call_handler)
    claim(referral.queue_item, holder)
    item_id = referral.queue_item.pk

    outcomes = at_once(
        *[
            lambda to=to: services.queue_item_reassign(
                item=QueueItem.objects.get(pk=item_id), to=to, actor=lead, reason="Cover", expected_holder=holder
            )
            for to in (first, second)
        ]
    )

    assert sorted(isinstance(outcome, Conflict) for outcome in outcomes) == [False, True], outcomes
    assert referral.timeline.filter(kind="reassigned").count() == 1


# Every outcome


def test_starting_an_irr_episode_sets_a_respond_by_time_from_the_target(referral, clinician, physical_queue):
    factories.response_target(queue=physical_queue, priority="urgent", minutes=120)
    claim(referral.queue_item, clinician)

    decision = decide(referral.queue_item, clinician, outcome="accept", lone_working_risk=True, risk_to_others="high")

    assert decision.respond_by == decision.decided_at + timedelta(hours=2)
    assert decision.is_high_risk
    assert QueueItem.objects.get().status == QueueItem.Status.TRIAGED


def test_without_a_target_there_is_no_respond_by_time(referral, clinician):
    claim(referral.queue_item, clinician)

    assert decide(referral.queue_item, clinician, outcome="accept").respond_by is None


def test_a_transfer_moves_the_item_with_its_history_to_wait_in_the_other_queue(referral, clinician, mental_queue):
    claim(referral.queue_item, clinician)

    decision = decide(referral.queue_item, clinician, outcome="transfer", transfer_to=mental_queue)

    item = QueueItem.objects.get()
    assert (item.queue, item.status, item.claimed_by) == (mental_queue, "waiting", None)
    assert item.due_at == decision.decided_at + mental_queue.triage_target
    assert item.decisions.get() == decision
    assert {h.queue_id for h in item.history.all()} >= {referral.queue_item.queue_id, mental_queue.pk}
    assert "to Mental health duty queue" in referral.timeline.get(kind="transferred").summary


def test_a_transfer_needs_another_queue_that_is_switched_on(referral, clinician, physical_queue, mental_queue):
    claim(referral.queue_item, clinician)
    with pytest.raises(ValidationError, match="Select the duty queue"):
        decide(referral.queue_item, clinician, outcome="transfer")
    with pytest.raises(ValidationError, match="different queue"):
        decide(referral.queue_item, clinician, outcome="transfer", transfer_to=physical_queue)
    mental_queue.is_active = False
    mental_queue.save()
    with pytest.raises(ValidationError, match="switched off"):
        decide(referral.queue_item, clinician, outcome="transfer", transfer_to=mental_queue)
    assert not TriageDecision.objects.exists()


@pytest.mark.parametrize(
    "outcome, field, value",
    [("refer_on", "referred_to", "District nursing"), ("signpost", "signposted_to", "Befriending service")],
)
def test_refer_on_and_signpost_name_the_service(referral, clinician, outcome, field, value):
    claim(referral.queue_item, clinician)
    with pytest.raises(ValidationError, match="Enter the service"):
        decide(referral.queue_item, clinician, outcome=outcome)

    decision = decide(referral.queue_item, clinician, outcome=outcome, **{field: f"  {value} "})

    assert getattr(decision, field) == value
    assert QueueItem.objects.get().status == QueueItem.Status.TRIAGED


def test_closing_with_no_further_action_asks_for_nothing_more(referral, clinician, mental_queue):
    claim(referral.queue_item, clinician)
    with pytest.raises(ValidationError, match="leave it empty"):
        decide(referral.queue_item, clinician, outcome="no_further_action", referred_to="Someone")
    with pytest.raises(ValidationError, match="leave it empty"):
        decide(referral.queue_item, clinician, outcome="no_further_action", transfer_to=mental_queue)

    decision = decide(referral.queue_item, clinician, outcome="no_further_action", priority="routine")

    assert decision.outcome == "no_further_action"


# First response


def test_the_first_response_stops_the_clock_once(referral, clinician, physical_queue):
    factories.response_target(queue=physical_queue, priority="urgent", minutes=120)
    decision = factories.triaged(referral_=referral, clinician=clinician)
    first_at = decision.decided_at + timedelta(minutes=90)

    assert services.first_response_record(decision=decision, at=first_at, actor=clinician) is True
    assert services.first_response_record(decision=decision, at=first_at + timedelta(hours=1), actor=clinician) is False

    decision.refresh_from_db()
    assert decision.first_response_at == first_at
    assert referral.timeline.filter(kind="responded").count() == 1


# Sensitive notes


def read_note(decision, reader, channel="web"):
    return selectors.sensitive_notes_read(decisions=[decision], fetched_by=reader, channel=channel)[0].visible_note


def test_a_sensitive_note_is_shown_only_to_clinical_roles_and_each_reading_is_logged(
    referral, clinician, team_lead, manager, administrator, call_handler
):
    decision = factories.triaged(referral_=referral, clinician=clinician, note_is_sensitive=True,
                                 clinical_note="Disclosed abuse by a carer", safeguarding_concern=True)

    assert read_note(decision, clinician) == "Disclosed abuse by a carer"
    assert read_note(decision, team_lead, channel="api") == "Disclosed abuse by a carer"
    for outsider in (manager, administrator, call_handler):
        assert read_note(decision, outsider) is None

    views = SensitiveNoteView.objects.order_by("viewed_at")
    assert [(v.viewed_by, v.channel, v.decision) for v in views] == [
        (clinician, "web", decision), (team_lead, "api", decision)
    ]


def test_a_page_of_sensitive_notes_is_logged_in_one_insert(
    django_assert_num_queries, referral, clinician, falls, call_handler
):
    first = factories.triaged(referral_=referral, clinician=clinician, note_is_sensitive=True, clinical_note="One")
    second = factories.triaged(
        referral_=factories.referral(need=falls, actor=call_handler), clinician=clinician,
        note_is_sensitive=True, clinical_note="Two",
    )

    with django_assert_num_queries(1):
        decisions = selectors.sensitive_notes_read(decisions=[first, second], fetched_by=clinician)

    assert [d.visible_note for d in decisions] == ["One", "Two"]
    assert SensitiveNoteView.objects.filter(viewed_by=clinician).count() == 2


def test_an_ordinary_note_is_shown_without_a_log(referral, clinician, manager):
    decision = factories.triaged(referral_=referral, clinician=clinician, clinical_note="Routine")

    assert read_note(decision, manager) == "Routine"
    assert not SensitiveNoteView.objects.exists()

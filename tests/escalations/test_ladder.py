"""The escalation ladder in controlled time: due, warned, escalated through each rung,
acknowledged, answered and de-escalated. ``now`` is passed to the poller, never faked."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from ccc.permissions import Action, can
from escalations import services
from escalations.models import Clock, Escalation, Notification
from escalations.selectors import live_escalations
from tests import factories
from tests.concurrency import at_once
from triage import services as triage_services

MIN = timedelta(minutes=1)


@pytest.fixture
def start():
    # A fixed instant on a winter day, so local time is UTC and the labels are predictable; in
    # the future, so the item is recorded before it is due, as in life (one recorded already
    # overdue starts at the first rung now: test_a_referral_recorded_already_overdue_...).
    return datetime(2032, 1, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def waiting(physical_ladder, falls, call_handler, start):
    """A referral received at ``start`` into the physical health queue (target 120 minutes)."""
    return factories.referral(need=falls, actor=call_handler, received_at=start)


def clock_of(referral) -> Clock:
    return Clock.objects.get(subject_id=referral.pk, kind="triage")


def timeline(referral) -> list[str]:
    return list(referral.timeline.values_list("kind", flat=True))


def fire(at: datetime) -> int:
    return services.escalations_fire_due(now=at)


def test_a_referral_waiting_for_triage_has_a_clock_due_at_its_target(waiting, start):
    clock = clock_of(waiting)

    assert clock.due_at == waiting.queue_item.due_at == start + 120 * MIN
    assert clock.warn_at == start + 90 * MIN  # 75% of the target
    assert clock.next_action_at == clock.warn_at
    assert clock.state == Clock.State.OPEN


def test_nothing_happens_before_the_warning_time(waiting, start):
    assert fire(start + 89 * MIN) == 0
    assert not Escalation.objects.exists()
    assert "warned" not in timeline(waiting)


def test_the_warning_is_recorded_once_and_highlights_the_item_in_its_queue(
    physical_ladder, falls, call_handler, client, clinician
):
    # In real time, since the queue page compares with the time now: 95 of 120 minutes gone.
    received = timezone.now() - 95 * MIN
    referral = factories.referral(need=falls, actor=call_handler, received_at=received)
    assert fire(received + 89 * MIN) == 0
    assert fire(received + 90 * MIN) == 1
    assert fire(received + 95 * MIN) == 0

    assert timeline(referral).count("warned") == 1
    assert not Notification.objects.exists()  # a highlight, not a page
    client.force_login(clinician)
    page = client.get(f"/queues/{referral.queue_item.queue.code}/").content.decode()
    assert 'ccc-queue-warned" data-reference="' + referral.reference in page


def test_an_overdue_referral_climbs_each_rung_in_turn(waiting, start, clinician, manager, on_call_manager):
    due = start + 120 * MIN

    # Due: the queue's duty clinicians are told, in the app and by e-mail.
    fire(due)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [clinician.pk]
    assert [m.to for m in mail.outbox] == [[clinician.email]]
    assert waiting.reference in mail.outbox[0].body
    assert waiting.patient.family_name not in mail.outbox[0].body  # no patient details in e-mail

    # 15 minutes on: nobody is duty lead, so that rung is recorded as skipped and the service manager is told.
    fire(due + 14 * MIN)
    assert Escalation.objects.filter(rung__gt=0).count() == 1
    fire(due + 15 * MIN)
    steps = list(Escalation.objects.order_by("rung").values_list("rung", "kind", "rung_name"))
    assert steps == [
        (0, "warning", ""),
        (1, "escalation", "Duty clinician"),
        (2, "skipped", "Duty lead"),
        (3, "escalation", "Service manager"),
    ]
    assert Notification.objects.filter(recipient=manager).count() == 1

    # 30 minutes after that: the on-call manager, the top of the ladder.
    fire(due + 44 * MIN)
    assert not Notification.objects.filter(recipient=on_call_manager).exists()
    fire(due + 45 * MIN)
    assert Notification.objects.filter(recipient=on_call_manager).count() == 1
    assert clock_of(waiting).next_action_at is None  # nothing left to climb

    fire(due + 600 * MIN)
    assert Escalation.objects.count() == 5
    assert timeline(waiting).count("escalated") == 4
    assert Notification.objects.count() == len(mail.outbox) == 3


def test_a_poller_that_was_down_fires_every_step_that_came_due_once(waiting, start, clinician):
    fire(start + 6 * 60 * MIN)  # back after hours away

    assert list(Escalation.objects.order_by("rung").values_list("rung", flat=True)) == [0, 1, 2, 3, 4]
    assert fire(start + 7 * 60 * MIN) == 0
    assert Notification.objects.count() == 3


def test_a_referral_recorded_already_overdue_starts_at_the_first_rung_and_climbs_at_the_ladders_pace(
    physical_ladder, falls, call_handler, clinician, manager, on_call_manager
):
    # Received five hours ago and recorded now: past every rung (due + 0, 15, 45 and 75 minutes).
    recorded = timezone.now()
    referral = factories.referral(need=falls, actor=call_handler, received_at=recorded - 300 * MIN)
    rungs = lambda: list(Escalation.objects.order_by("rung").values_list("rung", flat=True))  # noqa: E731

    fire(recorded + MIN)  # the next sweep: the warning and the first rung only
    assert rungs() == [0, 1]
    assert list(Notification.objects.values_list("recipient", flat=True)) == [clinician.pk]

    # Then at the ladder's pace from there: 15 minutes to the duty lead (nobody: skipped) and so
    # the service manager, 30 more to the on-call manager.
    fire(recorded + 14 * MIN)
    assert rungs() == [0, 1]
    fire(recorded + 16 * MIN)
    assert rungs() == [0, 1, 2, 3]
    assert not Notification.objects.filter(recipient=on_call_manager).exists()
    fire(recorded + 46 * MIN)
    assert rungs() == [0, 1, 2, 3, 4]
    assert Notification.objects.filter(recipient=on_call_manager).count() == 1
    assert timeline(referral).count("escalated") == 4


def test_only_people_on_the_rung_may_acknowledge(waiting, start, clinician, other_clinician, manager,
                                                  mental_clinician):
    fire(start + 120 * MIN)
    escalation = Escalation.objects.get(rung=1)

    assert can(clinician, Action.ESCALATION_ACKNOWLEDGE, escalation)
    assert can(other_clinician, Action.ESCALATION_ACKNOWLEDGE, escalation)  # also on the queue's duty list
    assert not can(mental_clinician, Action.ESCALATION_ACKNOWLEDGE, escalation)
    assert not can(manager, Action.ESCALATION_ACKNOWLEDGE, escalation)  # not told yet: not their rung


def test_acknowledging_holds_the_next_rung_for_a_rung_interval(waiting, start, clinician, manager):
    due = start + 120 * MIN
    fire(due)
    escalation = Escalation.objects.get(rung=1)
    acknowledged_at = timezone.now()

    services.escalation_acknowledge(escalation=escalation, actor=clinician, note="Calling the patient now")

    escalation.refresh_from_db()
    assert escalation.acknowledged_by == clinician
    assert escalation.acknowledgement_note == "Calling the patient now"
    assert timeline(waiting).count("acknowledged") == 1
    assert clock_of(waiting).next_rung_at >= acknowledged_at + 15 * MIN


def test_a_second_person_acknowledging_is_told_who_has_it(waiting, start, clinician, other_clinician):
    from ccc.exceptions import Conflict

    fire(start + 120 * MIN)
    escalation = Escalation.objects.get(rung=1)
    services.escalation_acknowledge(escalation=escalation, actor=clinician, note="Mine")

    with pytest.raises(Conflict, match=str(clinician)):
        services.escalation_acknowledge(escalation=escalation, actor=other_clinician, note="Mine too")
    # The same person submitting twice is one acknowledgement.
    services.escalation_acknowledge(escalation=escalation, actor=clinician, note="Mine")
    assert timeline(waiting).count("acknowledged") == 1


def test_answering_the_referral_stops_the_clock_and_de_escalates(waiting, start, clinician, manager):
    fire(start + 150 * MIN)  # duty clinician told, duty lead skipped, service manager told
    assert len(live_escalations(fetched_by=manager)) == 1

    item = triage_services.queue_item_claim(item=waiting.queue_item, actor=clinician)
    triage_services.triage_decision_record(
        item=item, actor=clinician, priority="urgent", outcome="accept", clinical_note="Visit within 2 hours"
    )

    clock = clock_of(waiting)
    assert clock.state == Clock.State.ANSWERED and clock.answered_by == clinician
    assert clock.next_action_at is None
    assert not Escalation.objects.filter(kind="escalation", de_escalated_at__isnull=True).exists()
    # The last step written (the poller ran in controlled time, ahead of the real time of the triage).
    assert waiting.timeline.latest("pk").kind == "de_escalated"
    assert list(live_escalations(fetched_by=manager)) == []
    assert fire(start + 24 * 60 * MIN) == 0
    # Stopping again (a retry) records nothing more.
    services.clock_stop(subject=waiting, kind="triage", actor=clinician, reason="triaged")
    assert timeline(waiting).count("de_escalated") == 1


def test_a_referral_triaged_in_time_records_no_escalation(waiting, start, clinician):
    item = triage_services.queue_item_claim(item=waiting.queue_item, actor=clinician)
    triage_services.triage_decision_record(
        item=item, actor=clinician, priority="routine", outcome="signpost", clinical_note="Leaflet",
        signposted_to="Age UK Northfield",
    )

    assert fire(start + 24 * 60 * MIN) == 0
    # In the order written: the claim and the triage happen in real time, before the future ``start``.
    assert list(waiting.timeline.order_by("pk").values_list("kind", flat=True)) == [
        "received", "routed", "claimed", "triaged"
    ]


def test_an_answered_clock_started_again_climbs_a_new_cycle(waiting, start, clinician):
    fire(start + 120 * MIN)
    services.clock_stop(subject=waiting, kind="triage", actor=clinician, reason="answered")
    later = start + 300 * MIN

    clock = services.clock_start(subject=waiting, kind="triage", due_at=later + 60 * MIN, started_at=later,
                                 label="again", queue=waiting.queue_item.queue)
    fire(later + 60 * MIN)

    assert clock.cycle == 2
    assert Escalation.objects.filter(rung=1).count() == 2
    assert Notification.objects.filter(recipient=clinician).count() == 2


def test_starting_an_open_clock_again_changes_nothing(waiting, start):
    clock = clock_of(waiting)

    again = services.clock_start(subject=waiting, kind="triage", due_at=start, started_at=start, label="x")

    assert again.pk == clock.pk and again.due_at == clock.due_at and again.cycle == 1


def test_a_queue_without_a_ladder_uses_the_default(mental_queue, crisis, call_handler, mental_clinician, start):
    factories.ladder(None, rungs=[("Duty clinician", 0, "queue_clinicians", [])])
    referral = factories.referral(need=crisis, actor=call_handler, received_at=start)

    fire(start + 240 * MIN)

    assert Notification.objects.get().recipient == mental_clinician
    assert clock_of(referral).ladder.queue is None


@pytest.mark.django_db(transaction=True)
def test_two_pollers_at_once_fire_each_step_once(physical_ladder, falls, call_handler, clinician, start):
    referrals = [factories.referral(need=falls, actor=call_handler, received_at=start) for _ in range(5)]

    at_once(*[lambda: fire(start + 200 * MIN)] * 3)

    # The warning and four rungs (the duty lead skipped), for each referral: none lost, none twice.
    assert Escalation.objects.count() == 5 * 5
    assert Notification.objects.filter(recipient=clinician).count() == 5
    assert Notification.objects.count() == 5 * 3
    for referral in referrals:
        assert timeline(referral).count("escalated") == 4


@pytest.mark.parametrize(
    "started_utc, local_due",
    [
        # The clocks go forward at 01:00 GMT on 28 March 2032: 00:30 GMT + 2 h is 03:30 BST.
        (datetime(2032, 3, 28, 0, 30, tzinfo=UTC), "03:30"),
        # They go back at 02:00 BST on 31 October 2032: 01:30 BST + 2 h is 02:30 GMT.
        (datetime(2032, 10, 31, 0, 30, tzinfo=UTC), "02:30"),
    ],
    ids=["spring-forward", "autumn-back"],
)
def test_a_timer_across_a_clock_change_fires_after_the_real_two_hours(
    physical_ladder, falls, call_handler, clinician, started_utc, local_due
):
    referral = factories.referral(need=falls, actor=call_handler, received_at=started_utc)
    due = started_utc + 120 * MIN

    fire(due - timedelta(seconds=1))
    assert not Notification.objects.exists()
    fire(due)

    notification = Notification.objects.get()
    assert clock_of(referral).due_at == due
    assert local_due in notification.message


def test_the_pollers_work_follows_what_is_due_not_what_is_open(physical_ladder, falls, call_handler, clinician, start):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_fire_one() -> int:
        factories.referral(need=falls, actor=call_handler, received_at=start)
        with CaptureQueriesContext(connection) as queries:
            assert fire(start + 90 * MIN) == 1  # the one new referral's warning
        return len(queries)

    alone = queries_to_fire_one()
    later = start + 60 * MIN
    for _ in range(30):  # open, but nowhere near their warning time
        factories.referral(need=falls, actor=call_handler, received_at=later)

    assert queries_to_fire_one() == alone


@pytest.mark.django_db(transaction=True)
def test_two_people_acknowledging_at_once_one_wins_the_other_is_told(physical_ladder, falls, call_handler, clinician,
                                                                     other_clinician, start):
    from ccc.exceptions import Conflict

    referral = factories.referral(need=falls, actor=call_handler, received_at=start)
    fire(start + 120 * MIN)
    escalation_id = Escalation.objects.get(rung=1).pk

    outcomes = at_once(*[
        lambda person=person: services.escalation_acknowledge(
            escalation=Escalation.objects.get(pk=escalation_id), actor=person, note=f"{person} has it")
        for person in (clinician, other_clinician)
    ])

    assert sorted(isinstance(outcome, Conflict) for outcome in outcomes) == [False, True]
    assert timeline(referral).count("acknowledged") == 1

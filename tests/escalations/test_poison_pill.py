"""No poison pill: a clock that cannot fire is set aside with its error, retried with back-off and
reported to administrators, while every other due clock still fires in the same sweep. And no
summary, however many people a rung names, is too long to store. Real PostgreSQL throughout;
``now`` is passed to the poller, never faked."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from ccc.models import User
from escalations import services, subjects
from escalations.models import Clock, Escalation, EscalationRung, Notification
from escalations.selectors import failing_clocks
from tests import factories

MIN = timedelta(minutes=1)


@pytest.fixture
def start():
    return datetime(2032, 1, 12, 9, 0, tzinfo=UTC)


def clock_of(referral) -> Clock:
    return Clock.objects.get(subject_id=referral.pk, kind="triage")


@pytest.fixture
def poisoned(monkeypatch, physical_ladder, falls, call_handler, start):
    """Two referrals waiting for triage; the older one's timeline cannot be written while
    ``poisoned["on"]``, so its clock raises every time it fires. The newer one is healthy."""
    older = factories.referral(need=falls, actor=call_handler, received_at=start)
    newer = factories.referral(need=falls, actor=call_handler, received_at=start + MIN)
    real = subjects.timeline_for(type(older))
    state = {"on": True, "older": older, "newer": newer}

    def writer(entries):
        if state["on"] and any(entry.subject_id == older.pk for entry in entries):
            raise RuntimeError("timeline store refused the write")
        real(entries)

    monkeypatch.setitem(subjects._timelines, "referrals.referral", writer)
    return state


def test_a_rung_naming_25_people_fires_and_stores_its_summary(physical_queue, falls, call_handler, start):
    people = [
        factories.user(User.Role.MANAGER, first_name="Alexandra-Josephine", last_name=f"Montgomery-Smythe {n}")
        for n in range(25)
    ]
    factories.ladder(physical_queue, rungs=[("Everyone on call", 0, EscalationRung.People.NAMED, people)])
    referral = factories.referral(need=falls, actor=call_handler, received_at=start)

    services.escalations_fire_due(now=start + 121 * MIN)

    escalation = Escalation.objects.get(clock=clock_of(referral), kind=Escalation.Kind.ESCALATION)
    assert len(escalation.summary) == Escalation._meta.get_field("summary").max_length
    assert escalation.summary.startswith("Escalated to Everyone on call (Alexandra-Josephine Montgomery-Smythe 0")
    assert escalation.summary.endswith("\u2026")
    assert escalation.notifications.count() == 25  # everyone is told, whatever the summary holds
    assert referral.timeline.filter(kind="escalated", summary=escalation.summary).exists()
    assert clock_of(referral).failures == 0


def test_a_clock_that_cannot_fire_does_not_stop_the_clocks_due_after_it(poisoned, start):
    services.escalations_fire_due(now=start + 125 * MIN)

    bad, good = clock_of(poisoned["older"]), clock_of(poisoned["newer"])
    assert not Escalation.objects.filter(clock=bad).exists()  # its half-done steps were rolled back
    assert (bad.rung, bad.warned_at) == (0, None)
    assert bad.failures == 1
    assert bad.failed_at == start + 125 * MIN
    assert "RuntimeError: timeline store refused the write" in bad.last_error
    # The healthy clock behind it warned and climbed its ladder in the same sweep (rungs with
    # nobody on duty are skipped up to the service manager).
    assert good.warned_at is not None and good.rung == 3
    assert Escalation.objects.filter(clock=good).count() == 4
    assert good.failures == 0


def test_a_failing_clock_is_retried_only_after_its_back_off_doubling_to_an_hour(poisoned, start):
    failed = start + 125 * MIN
    services.escalations_fire_due(now=failed)
    bad = clock_of(poisoned["older"])
    assert bad.retry_at == failed + MIN

    services.escalations_fire_due(now=failed + MIN / 2)  # too soon: not tried
    assert clock_of(poisoned["older"]).failures == 1

    services.escalations_fire_due(now=failed + MIN)  # tried again, fails again: waits 2 minutes
    bad = clock_of(poisoned["older"])
    assert (bad.failures, bad.retry_at) == (2, failed + 3 * MIN)

    services.escalations_fire_due(now=failed + 2 * MIN)
    assert clock_of(poisoned["older"]).failures == 2

    at = failed + 3 * MIN
    waits = []
    for _ in range(8):
        services.escalations_fire_due(now=at)
        bad = clock_of(poisoned["older"])
        waits.append(bad.retry_at - at)
        at = bad.retry_at
    assert waits == [4 * MIN, 8 * MIN, 16 * MIN, 32 * MIN, 60 * MIN, 60 * MIN, 60 * MIN, 60 * MIN]
    assert bad.failures == 10


def test_administrators_are_told_once_and_managers_see_it_on_the_live_list(
    poisoned, administrator, manager, client, start
):
    retired = factories.user(User.Role.ADMINISTRATOR, is_active=False)
    failed = start + 125 * MIN
    services.escalations_fire_due(now=failed)
    services.escalations_fire_due(now=failed + MIN)
    bad = clock_of(poisoned["older"])
    assert bad.failures == 2

    told = Notification.objects.filter(clock=bad)
    assert list(told.values_list("recipient", flat=True)) == [administrator.pk]
    notice = told.get()
    assert bad.label in notice.message
    assert notice.url == reverse("admin:escalations_clock_change", args=[bad.pk])
    assert not Notification.objects.filter(recipient=retired).exists()

    client.force_login(manager)
    page = client.get(reverse("escalations:escalation_list"))
    assert [clock.pk for clock in page.context["failing"]] == [bad.pk]
    assert "Escalations that cannot fire" in page.content.decode()

    client.force_login(administrator)
    assert client.get(notice.url).status_code == 200
    assert client.get(reverse("escalations:notification_list")).context["unread_notifications"] == 1


def test_a_clock_that_later_fires_clears_its_error(poisoned, manager, start):
    failed = start + 125 * MIN
    services.escalations_fire_due(now=failed)
    poisoned["on"] = False  # whatever broke is mended

    services.escalations_fire_due(now=failed + MIN)

    bad = clock_of(poisoned["older"])
    assert (bad.failures, bad.failed_at, bad.retry_at, bad.last_error) == (0, None, None, "")
    assert bad.warned_at is not None and bad.rung == 3
    assert poisoned["older"].timeline.filter(kind="escalated").exists()
    assert not failing_clocks(fetched_by=manager).exists()

"""No poison pill: no summary, however many people a rung names, is too long to store. Real PostgreSQL throughout;
``now`` is passed to the poller, never faked."""

from datetime import UTC, datetime, timedelta

import pytest

from ccc.models import User
from escalations import services
from escalations.models import Clock, Escalation, EscalationRung
from tests import factories

MIN = timedelta(minutes=1)


@pytest.fixture
def start():
    return datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


def clock_of(referral) -> Clock:
    return Clock.objects.get(subject_id=referral.pk, kind="triage")


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

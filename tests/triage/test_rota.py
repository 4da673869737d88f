"""The duty rota: who is on duty for a queue and shift, who leads it, and who may claim."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ccc.exceptions import Conflict
from ccc.models import User
from ccc.permissions import Action, can
from tests import factories
from tests.concurrency import at_once
from triage import services
from triage.models import RotaEntry
from triage.selectors import duty_clinicians_now, duty_lead_now

MONDAY = date(2026, 11, 23)
SATURDAY = date(2026, 11, 28)


def london(day: date, hour: int, minute: int = 0) -> datetime:
    """A UK local time as UTC (November: GMT, so the same)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_the_day_shift_is_on_duty_in_the_day_and_not_in_the_evening(physical_queue, clinician, other_clinician):
    factories.rota_entry(queue=physical_queue, shift_code="day", day=MONDAY, clinician=clinician)
    factories.rota_entry(queue=physical_queue, shift_code="evening", day=MONDAY, clinician=other_clinician)

    assert duty_clinicians_now(queue=physical_queue, at=london(MONDAY, 9)) == [clinician]
    assert duty_clinicians_now(queue=physical_queue, at=london(MONDAY, 17, 59)) == [clinician]
    assert duty_clinicians_now(queue=physical_queue, at=london(MONDAY, 18)) == [other_clinician]
    assert duty_clinicians_now(queue=physical_queue, at=london(MONDAY, 22)) == []


def test_the_night_shift_runs_past_midnight_into_the_next_day(physical_queue, clinician):
    factories.rota_entry(queue=physical_queue, shift_code="night", day=MONDAY, clinician=clinician, is_lead=True)

    assert duty_clinicians_now(queue=physical_queue, at=london(MONDAY, 23)) == [clinician]
    assert duty_lead_now(queue=physical_queue, at=london(MONDAY + timedelta(days=1), 7, 59)) == clinician
    assert duty_lead_now(queue=physical_queue, at=london(MONDAY + timedelta(days=1), 8)) is None


def test_shifts_are_in_uk_local_time_across_the_clock_change(physical_queue, clinician):
    summer = date(2026, 7, 1)  # a Wednesday in BST: the 08:00 day shift starts at 07:00 UTC
    factories.rota_entry(queue=physical_queue, shift_code="day", day=summer, clinician=clinician)

    assert duty_clinicians_now(queue=physical_queue, at=datetime(2026, 7, 1, 7, 0, tzinfo=UTC)) == [clinician]
    assert duty_clinicians_now(queue=physical_queue, at=datetime(2026, 7, 1, 6, 59, tzinfo=UTC)) == []
    # The night the clocks go back (25 October 2026) is an hour longer: 22:00 BST to 08:00 GMT.
    factories.rota_entry(queue=physical_queue, shift_code="night", day=date(2026, 10, 24), clinician=clinician)
    start, end = factories.shift("night").window(date(2026, 10, 24))
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=11)
    assert duty_clinicians_now(queue=physical_queue, at=datetime(2026, 10, 25, 7, 30, tzinfo=UTC)) == [clinician]


def test_the_weekend_shift_runs_only_at_weekends(team_lead, physical_queue, clinician):
    with pytest.raises(ValidationError, match="does not run on Monday"):
        services.rota_entry_set(
            queue=physical_queue, shift=factories.shift("weekend"), date=MONDAY, clinician=clinician, actor=team_lead
        )
    services.rota_entry_set(
        queue=physical_queue, shift=factories.shift("weekend"), date=SATURDAY, clinician=clinician, actor=team_lead
    )
    assert duty_clinicians_now(queue=physical_queue, at=london(SATURDAY, 12)) == [clinician]


def test_one_duty_lead_per_shift_a_new_lead_stands_the_last_one_down(team_lead, physical_queue, clinician, other_clinician):
    day = factories.shift("day")
    services.rota_entry_set(queue=physical_queue, shift=day, date=MONDAY, clinician=clinician, is_lead=True, actor=team_lead)
    services.rota_entry_set(
        queue=physical_queue, shift=day, date=MONDAY, clinician=other_clinician, is_lead=True, actor=team_lead
    )

    assert duty_lead_now(queue=physical_queue, at=london(MONDAY, 10)) == other_clinician
    assert duty_clinicians_now(queue=physical_queue, at=london(MONDAY, 10)) == [other_clinician, clinician]
    assert RotaEntry.objects.filter(is_lead=True).count() == 1
    assert RotaEntry.objects.get(clinician=clinician).history.first().history_user == team_lead


def test_only_a_clinician_of_the_queue_goes_on_its_rota(team_lead, physical_queue, mental_clinician):
    with pytest.raises(ValidationError, match="not a clinician of"):
        services.rota_entry_set(
            queue=physical_queue, shift=factories.shift("day"), date=MONDAY, clinician=mental_clinician, actor=team_lead
        )


def test_only_a_team_lead_of_the_queue_sets_its_rota(client, physical_queue, mental_queue, clinician, administrator):
    other_lead = factories.user(User.Role.TEAM_LEAD, queues=[mental_queue])
    url = reverse("triage:queue_rota", args=[physical_queue.code])
    body = {"date": MONDAY.isoformat(), "shift": factories.shift("day").pk, "clinician": clinician.pk}
    for outsider in (clinician, other_lead, administrator):
        assert not can(outsider, Action.ROTA_MANAGE, physical_queue)
        client.force_login(outsider)
        assert client.post(url, body).status_code in (403, 404)
    assert not RotaEntry.objects.exists()


def test_an_inactive_clinician_is_not_on_duty(physical_queue, clinician):
    factories.rota_entry(queue=physical_queue, shift_code="day", day=MONDAY, clinician=clinician)
    clinician.is_active = False
    clinician.save()

    assert duty_clinicians_now(queue=physical_queue, at=london(MONDAY, 10)) == []


def test_with_a_rota_only_those_on_duty_or_a_lead_may_claim(referral, physical_queue, clinician, other_clinician, team_lead):
    factories.on_duty_now(queue=physical_queue, clinician=clinician)

    with pytest.raises(Conflict, match=f"not on duty for {physical_queue} now: on duty are {clinician}"):
        services.queue_item_claim(item=referral.queue_item, actor=other_clinician)
    services.queue_item_claim(item=referral.queue_item, actor=team_lead)  # the lead may, on duty or not


def test_without_a_rota_for_this_shift_any_clinician_of_the_queue_may_claim(referral, other_clinician):
    services.queue_item_claim(item=referral.queue_item, actor=other_clinician)

    referral.queue_item.refresh_from_db()
    assert referral.queue_item.claimed_by == other_clinician


def test_a_clinician_of_another_specialty_may_never_claim(referral, mental_clinician):
    with pytest.raises(PermissionDenied):
        services.queue_item_claim(item=referral.queue_item, actor=mental_clinician)


@pytest.mark.django_db(transaction=True)
def test_two_leads_named_at_once_leave_one_lead(physical_queue, clinician, other_clinician):
    lead = factories.user(User.Role.TEAM_LEAD, queues=[physical_queue])
    day = factories.shift("day")

    outcomes = at_once(
        *[
            lambda person=person: services.rota_entry_set(
                queue=physical_queue, shift=day, date=MONDAY, clinician=person, is_lead=True, actor=lead
            )
            for person in (clinician, other_clinician)
        ]
    )

    assert all(isinstance(outcome, RotaEntry) for outcome in outcomes), outcomes
    assert RotaEntry.objects.filter(is_lead=True).count() == 1

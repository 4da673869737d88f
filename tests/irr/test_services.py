"""IRR episodes: opening, the six-week plan, the paired-visit rule, capacity, first response, closing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.exceptions import Conflict
from irr import selectors, services
from irr.models import Episode, TeamCapacity, Visit
from tests import factories
from tests.concurrency import at_once


@pytest.fixture
def decision(referral, irr_clinician):
    return factories.triaged(referral_=referral, clinician=irr_clinician)


@pytest.fixture
def risky_decision(referral, irr_clinician):
    return factories.triaged(referral_=referral, clinician=irr_clinician, lone_working_risk=True, risk_to_others="high")


def schedule(episode, staff, **kwargs):
    kwargs.setdefault("kind", Visit.Kind.PLANNED)
    kwargs.setdefault("scheduled_for", timezone.now() + timedelta(hours=1))
    return services.visit_schedule(episode=episode, staff=staff, actor=episode.lead_professional, **kwargs)


def test_an_episode_opened_from_a_decision_takes_its_team_patient_and_risk(risky_decision, irr_clinician, irr_team):
    episode = factories.episode(decision=risky_decision, lead=irr_clinician)

    assert (episode.team, episode.patient, episode.lone_working_risk) == (
        irr_team, risky_decision.queue_item.referral.patient, True
    )
    assert episode.history.get().history_user == irr_clinician


def test_opening_twice_from_one_decision_gives_the_same_episode(decision, irr_clinician):
    first = factories.episode(decision=decision, lead=irr_clinician)

    assert factories.episode(decision=decision, lead=irr_clinician) == first
    assert Episode.objects.count() == 1


def test_only_a_decision_to_start_an_episode_opens_one(referral, irr_clinician):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician, outcome="no_further_action")

    with pytest.raises(ValidationError, match="Only a triage decision to start"):
        factories.episode(decision=decision, lead=irr_clinician)


def test_an_episode_opens_from_a_discharge_on_pathway_1(irr_clinician, irr_team):
    episode = services.episode_open(
        patient=factories.patient(), lead_professional=irr_clinician, actor=irr_clinician, team=irr_team,
        planned_end=timezone.localdate() + timedelta(weeks=6), goals="Reablement at home",
        source_discharge_note="Discharged from ward 7 on pathway 1",
    )

    assert episode.source_decision is None
    assert episode.source_discharge_note == "Discharged from ward 7 on pathway 1"


def test_a_plan_longer_than_six_weeks_needs_a_reason(decision, irr_clinician):
    too_long = timezone.localdate() + timedelta(weeks=6, days=1)
    with pytest.raises(ValidationError, match="longer than six weeks"):
        factories.episode(decision=decision, lead=irr_clinician, planned_end=too_long)

    episode = factories.episode(
        decision=decision, lead=irr_clinician, planned_end=too_long, longer_plan_reason="Waiting for a care package"
    )
    assert episode.longer_plan_reason == "Waiting for a care package"


def test_a_lone_working_risk_visit_is_refused_with_one_person(risky_decision, irr_clinician):
    episode = factories.episode(decision=risky_decision, lead=irr_clinician)
    nurse = factories.member(episode_=episode, discipline="nurse")

    with pytest.raises(ValidationError, match="needs two staff"):
        schedule(episode, [nurse])
    assert not Visit.objects.exists()


def test_a_support_worker_can_be_the_second_person_but_not_both(risky_decision, irr_clinician):
    episode = factories.episode(decision=risky_decision, lead=irr_clinician)
    nurse = factories.member(episode_=episode, discipline="nurse")
    support = [factories.member(episode_=episode, discipline="support_worker") for _ in range(2)]

    with pytest.raises(ValidationError, match="not both"):
        schedule(episode, support)
    visit = schedule(episode, [nurse, support[0]])

    assert set(visit.staff.all()) == {nurse, support[0]}


def test_without_a_lone_working_risk_one_person_may_go(decision, irr_clinician):
    episode = factories.episode(decision=decision, lead=irr_clinician)

    visit = schedule(episode, [factories.member(episode_=episode)], kind=Visit.Kind.UNPLANNED)

    assert visit.kind == "unplanned"


def test_only_the_episodes_own_members_go_on_its_visits(decision, irr_clinician, falls, call_handler):
    episode = factories.episode(decision=decision, lead=irr_clinician)
    other_decision = factories.triaged(
        referral_=factories.referral(need=falls, actor=call_handler), clinician=irr_clinician
    )
    stranger = factories.member(episode_=factories.episode(decision=other_decision, lead=irr_clinician))

    with pytest.raises(ValidationError, match="Only members of this episode"):
        schedule(episode, [stranger])


def test_a_double_submitted_visit_is_planned_once(decision, irr_clinician):
    episode = factories.episode(decision=decision, lead=irr_clinician)
    nurse = factories.member(episode_=episode)

    first = schedule(episode, [nurse], submission_key="abc")
    second = schedule(episode, [nurse], submission_key="abc")

    assert first == second
    assert Visit.objects.count() == 1


def test_the_first_visit_made_is_the_first_response_to_the_triage_decision(decision, irr_clinician):
    episode = factories.episode(decision=decision, lead=irr_clinician)
    nurse = factories.member(episode_=episode)
    first, second = schedule(episode, [nurse]), schedule(episode, [nurse], scheduled_for=timezone.now() + timedelta(days=1))

    services.visit_record(visit=first, outcome="Assessed; equipment ordered", actor=irr_clinician)
    services.visit_record(visit=second, outcome="Walking with a frame", actor=irr_clinician)

    decision.refresh_from_db()
    assert decision.first_response_at == first.scheduled_for
    with pytest.raises(Conflict, match="already recorded"):
        services.visit_record(visit=first, outcome="Again", actor=irr_clinician)


def test_closing_records_the_outcome_and_stops_new_visits(decision, irr_clinician):
    episode = factories.episode(decision=decision, lead=irr_clinician)
    with pytest.raises(ValidationError, match="Say what the outcome was"):
        services.episode_close(episode=episode, outcome="other", actor=irr_clinician)

    closed = services.episode_close(episode=episode, outcome=Episode.Outcome.ADMITTED, actor=irr_clinician)

    assert (closed.status, closed.outcome, closed.closed_by) == ("closed", "admitted", irr_clinician)
    with pytest.raises(Conflict, match="closed"):
        schedule(closed, [factories.member(episode_=closed)])
    with pytest.raises(Conflict, match="already closed"):
        services.episode_close(episode=closed, outcome="died", actor=irr_clinician)


def test_capacity_counts_open_episodes_and_todays_visits_against_the_limits(falls, call_handler, irr_clinician, irr_team):
    TeamCapacity.objects.create(team=irr_team, open_episodes=2, visits_per_day=2)
    episodes = []
    for _ in range(3):
        decision = factories.triaged(referral_=factories.referral(need=falls, actor=call_handler), clinician=irr_clinician)
        episodes.append(factories.episode(decision=decision, lead=irr_clinician))
    services.episode_close(episode=episodes[2], outcome="stayed_at_home", actor=irr_clinician)
    nurse = factories.member(episode_=episodes[0])
    today_noon = timezone.localtime().replace(hour=12, minute=0)
    schedule(episodes[0], [nurse], scheduled_for=today_noon)
    schedule(episodes[0], [nurse], scheduled_for=today_noon + timedelta(days=1))  # tomorrow: not counted

    [row] = selectors.team_capacity()

    assert (row.team, row.open_episodes, row.visits_today) == (irr_team, 2, 1)
    assert row.episodes_full and not row.visits_full and row.is_full


def test_capacity_counts_visits_by_the_uk_day_across_the_clock_change(decision, irr_clinician, irr_team):
    from datetime import UTC, date, datetime

    TeamCapacity.objects.create(team=irr_team, open_episodes=5, visits_per_day=5)
    episode = factories.episode(decision=decision, lead=irr_clinician)
    nurse = factories.member(episode_=episode)
    # 23:30 UTC on 29 March 2026 is 00:30 BST on the 30th.
    schedule(episode, [nurse], scheduled_for=datetime(2026, 3, 29, 23, 30, tzinfo=UTC))

    assert selectors.team_capacity(day=date(2026, 3, 30))[0].visits_today == 1
    assert selectors.team_capacity(day=date(2026, 3, 29))[0].visits_today == 0


@pytest.mark.django_db(transaction=True)
def test_two_people_recording_the_same_visit_at_once_record_it_once(falls, call_handler):
    from ccc.models import User

    queue = factories.duty_queue(team=factories.team())
    need = factories.need(queue=queue)
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[queue], team=queue.team)
    decision = factories.triaged(referral_=factories.referral(need=need, actor=call_handler), clinician=clinician)
    episode = factories.episode(decision=decision, lead=clinician)
    visit = schedule(episode, [factories.member(episode_=episode)])

    outcomes = at_once(
        *[lambda n=n: services.visit_record(visit=visit, outcome=f"Outcome {n}", actor=clinician) for n in (1, 2)]
    )

    assert sorted(isinstance(outcome, Conflict) for outcome in outcomes) == [False, True]


@pytest.mark.django_db(transaction=True)
def test_a_double_submitted_visit_racing_itself_is_planned_once(call_handler):
    from ccc.models import User

    queue = factories.duty_queue(team=factories.team())
    clinician = factories.user(User.Role.DUTY_CLINICIAN, queues=[queue], team=queue.team)
    decision = factories.triaged(
        referral_=factories.referral(need=factories.need(queue=queue), actor=call_handler), clinician=clinician
    )
    episode = factories.episode(decision=decision, lead=clinician)
    nurse = factories.member(episode_=episode)

    outcomes = at_once(*[lambda: schedule(episode, [nurse], submission_key="clicked-twice")] * 2)

    assert all(isinstance(outcome, Visit) for outcome in outcomes), outcomes
    assert Visit.objects.count() == 1

"""Every move an episode or a visit may not make is refused by the service that makes it (issue 12)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ccc.exceptions import Conflict
from irr import services
from irr.models import Episode, Visit
from tests import factories

EPISODE_SERVICES = {
    "close": lambda world: services.episode_close(
        episode=world["episode"], outcome=Episode.Outcome.STAYED_AT_HOME, actor=world["lead"]
    ),
    "visit": lambda world: services.visit_schedule(
        episode=world["episode"], kind=Visit.Kind.PLANNED, scheduled_for=timezone.now() + timedelta(hours=1),
        staff=list(world["episode"].members.all()), actor=world["lead"],
    ),
}
VISIT_SERVICES = {
    "record": lambda world: services.visit_record(visit=world["visit"], outcome="Seen at home", actor=world["lead"]),
}


@pytest.fixture
def world(referral, irr_clinician):
    decision = factories.triaged(referral_=referral, clinician=irr_clinician)
    episode = factories.episode(decision=decision, lead=irr_clinician)
    visit = services.visit_schedule(
        episode=episode, kind=Visit.Kind.PLANNED, scheduled_for=timezone.now() + timedelta(hours=1),
        staff=list(episode.members.all()), actor=irr_clinician,
    )
    return {"episode": episode, "visit": visit, "lead": irr_clinician}


def test_every_move_in_the_episode_and_visit_tables_has_its_service_walked():
    assert set(EPISODE_SERVICES) == set(Episode.TRANSITIONS.moves)
    assert set(VISIT_SERVICES) == set(Visit.TRANSITIONS.moves)


@pytest.mark.parametrize("move, state", Episode.TRANSITIONS.refused(), ids=lambda value: value)
def test_an_episode_move_the_table_does_not_allow_is_refused(world, move, state):
    episode = world["episode"]
    outcome = "" if state == Episode.Status.OPEN else Episode.Outcome.OTHER
    episode.status, episode.outcome = state, outcome
    episode.save()
    visits = Visit.objects.count()

    with pytest.raises(Conflict):
        EPISODE_SERVICES[move](world)

    episode.refresh_from_db()
    assert (episode.status, episode.outcome, Visit.objects.count()) == (state, outcome, visits)


@pytest.mark.parametrize("move, state", Visit.TRANSITIONS.refused(), ids=lambda value: value)
def test_a_visit_move_the_table_does_not_allow_is_refused(world, move, state):
    visit = world["visit"]
    visit.status, visit.outcome = state, "Seen earlier"
    visit.save()

    with pytest.raises(Conflict):
        VISIT_SERVICES[move](world)

    visit.refresh_from_db()
    assert (visit.status, visit.outcome) == (state, "Seen earlier")

import pytest
from django.conf import settings

from ccc.models import User
from tests import factories


def pytest_configure(config):
    # Real hashing costs a third of a second a user; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def physical_queue(db):
    return factories.duty_queue(code="physical-health", name="Physical health duty queue", triage_target_minutes=120)


@pytest.fixture
def mental_queue(db):
    return factories.duty_queue(code="mental-health", name="Mental health duty queue", triage_target_minutes=240)


@pytest.fixture
def falls(physical_queue):
    return factories.need(queue=physical_queue, code="falls", name="Falls")


@pytest.fixture
def crisis(mental_queue):
    return factories.need(queue=mental_queue, code="mh-crisis", name="Mental health crisis", group="Mental health")


@pytest.fixture
def call_handler(db):
    return factories.user(User.Role.CALL_HANDLER)


@pytest.fixture
def clinician(physical_queue):
    """A duty clinician of the physical health queue."""
    return factories.user(User.Role.DUTY_CLINICIAN, queues=[physical_queue])


@pytest.fixture
def other_clinician(physical_queue):
    return factories.user(User.Role.DUTY_CLINICIAN, queues=[physical_queue])


@pytest.fixture
def mental_clinician(mental_queue):
    """A duty clinician of another queue: an outsider to physical health work."""
    return factories.user(User.Role.DUTY_CLINICIAN, queues=[mental_queue])


@pytest.fixture
def toc_member(db):
    return factories.user(User.Role.TOC)


@pytest.fixture
def manager(db):
    return factories.user(User.Role.MANAGER)


@pytest.fixture
def administrator(db):
    return factories.user(User.Role.ADMINISTRATOR)


@pytest.fixture
def referral(falls, call_handler):
    return factories.referral(need=falls, received_by=call_handler)


# --- Duty triage and IRR (issue 5) ---


@pytest.fixture
def irr_team(physical_queue):
    """The physical health IRR team, which the physical health queue belongs to."""
    team = factories.team(name="IRR physical health")
    physical_queue.team = team
    physical_queue.save()
    return team


@pytest.fixture
def team_lead(physical_queue, irr_team):
    """A team lead of the physical health queue: a clinician who also sets its rota."""
    return factories.user(User.Role.TEAM_LEAD, queues=[physical_queue], team=irr_team)


@pytest.fixture
def irr_clinician(physical_queue, irr_team):
    """A physical health duty clinician on the IRR team."""
    return factories.user(User.Role.DUTY_CLINICIAN, queues=[physical_queue], team=irr_team)

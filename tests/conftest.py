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


# --- Transfer of Care (discharge) ---------------------------------------------------------------


@pytest.fixture
def acute_trust(db):
    return factories.organisation(name="Northfield Acute Trust", kind="acute_trust")


@pytest.fixture
def council(db):
    return factories.organisation(name="Northfield Council", kind="council")


@pytest.fixture
def toc_nurse(acute_trust):
    """A TOC team member employed by the acute and community trust."""
    return factories.user(User.Role.TOC, organisation=acute_trust)


@pytest.fixture
def toc_social_worker(council):
    """A hospital social worker in the integrated TOC team, employed by the council."""
    return factories.user(User.Role.TOC, organisation=council)


@pytest.fixture
def ward(acute_trust):
    return factories.ward(code="ward-7", name="Ward 7 (care of the elderly)", organisation=acute_trust)


@pytest.fixture
def intermediate_care(db):
    return factories.pathway_service(name="Intermediate care beds", pathway=2, capacity=52)


@pytest.fixture
def entry(toc_nurse, ward):
    return factories.register_entry(registered_by=toc_nurse, ward_=ward)

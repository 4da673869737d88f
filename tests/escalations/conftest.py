import pytest

from ccc.models import User
from escalations.models import EscalationRung
from tests import factories

People = EscalationRung.People


@pytest.fixture
def on_call_manager(db):
    return factories.user(User.Role.MANAGER, first_name="Rachel", last_name="Oncall")


@pytest.fixture
def physical_ladder(physical_queue, manager, on_call_manager):
    """Duty clinicians at the due time, the duty lead 15 min on, the service manager 30 min after
    that, the on-call manager 30 min after that."""
    return factories.ladder(
        physical_queue,
        rungs=[
            ("Duty clinician", 0, People.QUEUE_CLINICIANS, []),
            ("Duty lead", 15, People.QUEUE_LEAD, []),
            ("Service manager", 30, People.NAMED, [manager]),
            ("On-call manager", 30, People.NAMED, [on_call_manager]),
        ],
    )

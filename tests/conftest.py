from collections.abc import Callable
from datetime import timedelta

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from ccc.models import User
from escalations.models import EscalationRung
from tests import factories
from tests.second_factor import Client as SecondFactorClient


def pytest_configure(config):
    # Real hashing costs a third of a second a user; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The fast lane, ``scripts/test -m "not e2e and not celery_worker"``, leaves out every browser test
# and every test that runs a real Celery worker: each must carry its marker, or it would run there.
BROWSER_FIXTURES = {"live_server", "browser", "new_page"}
MARKED_FOLDERS = {"e2e": "tests/e2e/", "celery_worker": "tests/celery/"}


def pytest_collection_modifyitems(config, items):
    unmarked = []
    for item in items:
        path = item.path.as_posix()
        needs = {marker for marker, folder in MARKED_FOLDERS.items() if f"/{folder}" in path}
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            needs.add("e2e")
        unmarked += [f"{item.nodeid} (needs @pytest.mark.{marker})" for marker in sorted(needs)
                     if item.get_closest_marker(marker) is None]
    if unmarked:
        raise pytest.UsageError("Tests without the marker the fast lane leaves out:\n" + "\n".join(unmarked))


@pytest.fixture
def client() -> SecondFactorClient:
    """pytest-django's client, passing the second factor honestly for managers and administrators."""
    return SecondFactorClient()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def login(api) -> Callable[[User | None], APIClient]:
    """Act as ``actor`` on the ``api`` client (None: anonymous). A fresh copy each time, as per request."""

    def as_actor(actor: User | None) -> APIClient:
        api.force_authenticate(user=User.objects.get(pk=actor.pk) if actor else None)
        return api

    return as_actor


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
    return factories.referral(need=falls, actor=call_handler)


# The front desk: GP practices, wards and their referrers.


@pytest.fixture
def practice(db):
    return factories.gp_practice(name="Ash Tree Surgery", ods_code="B86001")


@pytest.fixture
def referrer(practice):
    """A referrer of Ash Tree Surgery."""
    return factories.user(User.Role.REFERRER, organisation=practice)


@pytest.fixture
def other_referrer(db):
    """A referrer of another practice: an outsider to Ash Tree Surgery's referrals."""
    return factories.user(User.Role.REFERRER, organisation=factories.gp_practice(name="Beech Road Practice"))


@pytest.fixture
def practice_referral(falls, call_handler, practice):
    """A referral Ash Tree Surgery made, waiting in the physical health queue."""
    return factories.referral(need=falls, actor=call_handler, referring_practice=practice)


@pytest.fixture
def contact(call_handler):
    return factories.contact(actor=call_handler, caller_phone="0113 496 0001")


# --- Escalations -------------------------------------------------------------------------------


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
            ("Duty clinician", 0, EscalationRung.People.QUEUE_CLINICIANS, []),
            ("Duty lead", 15, EscalationRung.People.QUEUE_LEAD, []),
            ("Service manager", 30, EscalationRung.People.NAMED, [manager]),
            ("On-call manager", 30, EscalationRung.People.NAMED, [on_call_manager]),
        ],
    )


@pytest.fixture
def escalated(physical_ladder, falls, call_handler, clinician):
    """A referral past its target: escalated to the physical health duty clinicians, and up the ladder.
    Its first rung's escalation."""
    from escalations.models import Escalation
    from escalations.services import escalations_fire_due

    factories.referral(need=falls, actor=call_handler, received_at=factories.now() - timedelta(minutes=125))
    escalations_fire_due()
    return Escalation.objects.get(rung=1)


# --- Reporting: dashboard figures, joint data set, FHIR ---


# --- Directory of services -------------------------------------------------------------------


@pytest.fixture
def directory_editor(db):
    return factories.user(User.Role.DIRECTORY_EDITOR)

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
    return factories.register_entry(actor=toc_nurse, ward_=ward)


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
    """A team lead of the physical health queue: a clinician who also sets its rota, and sees their
    team's figures on the dashboard."""
    return factories.user(User.Role.TEAM_LEAD, queues=[physical_queue], team=irr_team, organisation=irr_team.organisation)


@pytest.fixture
def irr_clinician(physical_queue, irr_team):
    """A physical health duty clinician on the IRR team."""
    return factories.user(User.Role.DUTY_CLINICIAN, queues=[physical_queue], team=irr_team)


# --- Cross-capability wiring (discharge hand-overs) ---


@pytest.fixture
def irr_for_pathway_1(irr_team, team_lead):
    """The physical health IRR team set to take pathway 1 discharges; its team lead leads the episodes."""
    from discharge.models import TransferOfCareSettings

    row = TransferOfCareSettings.current()
    row.irr_team = irr_team
    row.save()
    return irr_team

"""Every list page and API list costs the same number of queries with 2 rows as with many, under a pinned budget.

Table-driven over ``tests/permission_matrix.py``: each list route there has a row in ``BUDGETS`` (who
asks, how to make its rows, the most queries it may cost) or in ``NOT_GROWING`` (lists sized by
configuration, not by use), so a new list route without a budget fails
``test_every_list_route_has_a_query_budget``. The budget counts everything the request costs
(session, user, the header's unread count...), so it moves when a page gains a query anywhere:
raise it only knowing why.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from ccc.access_log import access_log_record
from ccc.models import User
from escalations.models import EscalationRung
from escalations.services import escalations_fire_due, notification_send
from tests import factories
from tests.permission_matrix import ROUTES, ROUTES_BY_ID, World
from tests.second_factor import Client

Role = User.Role

# Rows made for the first count, then rows added before the second (the page size is 50: one page).
FEW, MORE = 2, 13


def _referrals(w: World, actor: User, n: int) -> None:
    """Waiting in the physical health queue, sent by Ash Tree Surgery (the referrer persona's practice)."""
    for _ in range(n):
        factories.referral(need=w.need, actor=w.call_handler, referring_practice=w.practice)


def _overdue(w: World, actor: User, n: int) -> None:
    """Referrals past their triage target with the manager told: live escalations."""
    if not hasattr(w, "_ladder"):
        w._ladder = factories.ladder(w.queue, rungs=[("Service manager", 0, EscalationRung.People.NAMED, [actor])])
    for _ in range(n):
        factories.referral(need=w.need, actor=w.call_handler)
    escalations_fire_due(now=timezone.now() + timedelta(days=2))


def _notifications(w: World, actor: User, n: int) -> None:
    for _ in range(n):
        notification_send(recipients=[actor], topic=uuid.uuid4().hex, message="Something to know")


def _episodes(w: World, actor: User, n: int) -> None:
    for _ in range(n):
        factories.episode(decision=w._decision(), lead=w.holder)


def _looks(w: World, actor: User, n: int) -> None:
    """What the call handler looked at (the access log is asked about them)."""
    for _ in range(n):
        access_log_record(
            actor=w.call_handler, kind="patient", record_id=uuid.uuid4(), patient_id=w.patient.pk, channel="web", path="/"
        )


def _each(make: Callable[[World], object]) -> Callable[[World, User, int], None]:
    def made(w: World, actor: User, n: int) -> None:
        for _ in range(n):
            make(w)

    return made


_contacts = _each(lambda w: factories.contact(actor=w.call_handler))
_follow_up_calls = _each(lambda w: factories.follow_up_call(actor=w.call_handler))
_bookings = _each(lambda w: factories.transport_booking(actor=w.call_handler))
_call_backs = _each(lambda w: factories.call_back(actor=w.call_handler, team_=w.team))
_services = _each(lambda w: factories.directory_service())
_organisations = _each(lambda w: factories.directory_organization())
_terms = _each(lambda w: factories.directory_term())
# Admitted 10 days ago: on the board and stranded.
_register = _each(lambda w: factories.register_entry(actor=w.toc_registrar, ward_=w.ward))


@dataclass(frozen=True)
class Budget:
    role: str
    make: Callable[[World, User, int], None]
    most: int  # queries, the whole request
    query: Callable[[World], str] | None = None  # when the route lists nothing until asked


CLINICIAN, HANDLER, MANAGER = Role.DUTY_CLINICIAN, Role.CALL_HANDLER, Role.MANAGER

BUDGETS: dict[str, Budget] = {
    # Pages: a session and a user, the header's unread count, then the page's own.
    "referrals:referral_list GET": Budget(HANDLER, _referrals, 4),
    "referrals:contact_list GET": Budget(HANDLER, _contacts, 6),
    "referrals:follow_up_work_list GET": Budget(HANDLER, _follow_up_calls, 4),
    "referrals:transport_list GET": Budget(HANDLER, _bookings, 4),
    "referrals:call_back_list GET": Budget(HANDLER, _call_backs, 5),
    "referrals:tracking_list GET": Budget(Role.REFERRER, _referrals, 5),
    "triage:queue_detail GET": Budget(CLINICIAN, _referrals, 9),
    "triage:queue_items_fragment GET": Budget(CLINICIAN, _referrals, 7),
    "escalations:notification_list GET": Budget(HANDLER, _notifications, 4),
    "escalations:escalation_list GET": Budget(MANAGER, _overdue, 5),
    "access_log GET": Budget(MANAGER, _looks, 7, query=lambda w: f"?username={w.call_handler.username}"),
    "directory:search GET": Budget(Role.DIRECTORY_EDITOR, _services, 4),
    "directory:review_list GET": Budget(Role.DIRECTORY_EDITOR, _services, 4),
    "directory:organization_list GET": Budget(Role.DIRECTORY_EDITOR, _organisations, 5),
    "discharge:board GET": Budget(Role.TOC, _register, 7),
    "discharge:stranded GET": Budget(Role.TOC, _register, 5),
    "irr:episode_list GET": Budget(CLINICIAN, _episodes, 5),
    # API lists: token or session user, then the page and (limit/offset) its count.
    "api-referral-list GET": Budget(HANDLER, _referrals, 2),
    "api-tracked-referral-list GET": Budget(Role.REFERRER, _referrals, 4),
    "api-queue-items GET": Budget(CLINICIAN, _referrals, 3),
    "api-queue-items GET mine": Budget(CLINICIAN, _referrals, 2),
    "api-follow-up-call-list GET": Budget(HANDLER, _follow_up_calls, 2),
    "api-call-back-list GET": Budget(HANDLER, _call_backs, 2),
    "api-transport-booking-list GET": Budget(HANDLER, _bookings, 2),
    "api-notification-list GET": Budget(HANDLER, _notifications, 2),
    "api-escalation-list GET": Budget(MANAGER, _overdue, 2),
    "api-fhir-servicerequest-list GET": Budget(HANDLER, _referrals, 4),
    "api-joint-data-set-list GET": Budget(MANAGER, _referrals, 4),
    "api-toc-register-list GET": Budget(Role.TOC, _register, 2),
    "api-irr-episode-list GET": Budget(CLINICIAN, _episodes, 5),
    "oruk-services GET": Budget(Role.DIRECTORY_EDITOR, _services, 2),
    "oruk-taxonomy-terms GET": Budget(Role.DIRECTORY_EDITOR, _terms, 2),
}

# Lists whose length is set by configuration or by a search's own cap, with where that is said.
NOT_GROWING: dict[str, str] = {
    "triage:queue_list GET": "the duty queues switched on (configuration)",
    "api-queue-list GET": "the duty queues switched on (configuration)",
    "api-red-flag-question-list GET": "red-flag questions per need (configuration)",
    "api-toc-capacity-list GET": "pathway services (configuration)",
    "api-patient-list GET": "a search: at most 50 people (referrals.selectors.patient_find)",
    "discharge:inpatients GET": "pinned in tests/web/test_toc_feed_pages.py (rows come from HL7 messages)",
    "discharge:feed_held GET": "held HL7 messages, 50 a page like the inpatients",
    "directory:search GET for a referral": "the same view and query as directory:search GET",
    "directory:search GET for a contact": "the same view and query as directory:search GET",
    "reporting:dashboard GET": "a period's figures, each bounded (tests/reporting/test_dashboard_page.py)",
    "api-toc-figures-list GET": "one month's figures, not a list",
    "downtime:board_print GET": "a paper copy: one query, at most 500 rows and says so (tests/reporting/test_downtime.py)",
}

# A GET route whose name says it lists things.
LIST_NAME = re.compile(r"list|search|board|stranded|inpatients|held|queue_detail|queue_items|access_log$|services$|terms$")


def _list_route_ids() -> set[str]:
    return {
        route.id for route in ROUTES
        if route.method == "get" and LIST_NAME.search(route.name) and not route.name.startswith("admin:")
    }


def test_every_list_route_has_a_query_budget():
    unbudgeted = _list_route_ids() - BUDGETS.keys() - NOT_GROWING.keys()
    assert not unbudgeted, f"give these lists a row in BUDGETS (or NOT_GROWING, saying why): {sorted(unbudgeted)}"
    assert not (BUDGETS.keys() | NOT_GROWING.keys()) - ROUTES_BY_ID.keys(), "a row names no route in the matrix"


def _queries(route, client, world: World) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = route.call(client, world)
        assert response.status_code == 200, (route.id, response.status_code)
        if response.streaming:
            b"".join(response.streaming_content)
    return len(captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("route_id", sorted(BUDGETS))
def test_a_list_costs_the_same_queries_with_more_rows_and_stays_in_its_budget(route_id):
    route, budget = ROUTES_BY_ID[route_id], BUDGETS[route_id]
    if budget.query:
        route = replace(route, query=budget.query)
    world = World()
    actor = world.person(budget.role)
    if route.prepare:
        route.prepare(world, actor)
    client = APIClient() if route.api else Client()
    if route.api:
        client.force_authenticate(user=actor)
    else:
        client.force_login(actor)
    budget.make(world, actor, FEW)
    route.call(client, world)  # warm: what a first visit records once (a session's second factor...)
    few = _queries(route, client, world)
    budget.make(world, actor, MORE)
    more = _queries(route, client, world)

    assert (few, more) == (few, few), f"{route_id}: {few} queries with {FEW} rows, {more} with {FEW + MORE}"
    assert few <= budget.most, f"{route_id}: {few} queries, budget {budget.most}"

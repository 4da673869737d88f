"""The one table of who may reach what: every page and API route, the action it needs, and how to call it.

``tests/test_permission_matrix.py`` walks every row below as anonymous, as a user with no role and
as one person of each role, and expects the role's grant in ``ccc.permissions.ROLE_ACTIONS`` to
decide: roles whose grant holds every action a row ``needs`` reach it, the others are refused
(a page with 403, the API with 403 ``permission_denied``, anonymous people with the login page or
401 ``not_authenticated`` and ``WWW-Authenticate: Token``). A route the URL resolver knows without a row here fails a test.

Each person is an insider for the object rules (a duty clinician and a team lead of the queue and
its IRR team, on duty as lead; the referring practice's referrer; a TOC member of the acute trust),
so the grant alone decides. Outsiders (another queue's clinician, another practice's referrer, a
clinician off the IRR team...) are the short list ``OBJECT_REFUSALS``.

A row that writes says how to see that it did (``effect``: a snapshot that must change for those
allowed and stay put for those refused), or asks for an object that does not exist (``missing``),
so those allowed reach the endpoint and are told 404, the others 403. Nothing here calls a service
directly: objects come from ``tests/factories.py``.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Any

from django.urls import reverse
from django.utils import timezone

from ccc.models import Organisation, User
from ccc.permissions import ROLE_ACTIONS, Action
from tests import factories

Role = User.Role

ANYONE = "anyone logged in"

# Who the matrix asks: anonymous (None), a user with no role (""), and one person of each role.
PERSONAS: list[str | None] = [None, "", *Role.values]


def grants(role: str | None, needs: tuple[str, ...]) -> bool:
    """Does ``role``'s grant hold every action ``needs`` names (ANYONE: any logged-in person)?"""
    if role is None:
        return False
    return all(need == ANYONE or need in ROLE_ACTIONS.get(role, frozenset()) for need in needs)


class World:
    """What the routes act on, made on first use (each test makes only what its row needs)."""

    @cached_property
    def team(self):
        return factories.team(name="IRR physical health")

    @cached_property
    def queue(self):
        return factories.duty_queue(code="physical-health", name="Physical health duty queue", team=self.team)

    @cached_property
    def need(self):
        return factories.need(queue=self.queue, code="falls", name="Falls")

    @cached_property
    def call_handler(self) -> User:
        return factories.user(Role.CALL_HANDLER)

    def _on_duty(self) -> User:
        made = factories.user(Role.DUTY_CLINICIAN, queues=[self.queue], team=self.team)
        factories.on_duty_now(queue=self.queue, clinician=made)
        return made

    @cached_property
    def holder(self) -> User:
        """A duty clinician of the queue and its IRR team, on duty, who is not one of the personas."""
        return self._on_duty()

    @cached_property
    def cover(self) -> User:
        """Another duty clinician on duty, to hand an item to."""
        return self._on_duty()

    @cached_property
    def practice(self) -> Organisation:
        return factories.gp_practice(name="Ash Tree Surgery", ods_code="B86001")

    @cached_property
    def acute_trust(self) -> Organisation:
        return factories.organisation(name="Northfield Acute Trust", kind="acute_trust")

    @cached_property
    def referral(self):
        """Made by Ash Tree Surgery, waiting in the physical health queue."""
        return factories.referral(need=self.need, actor=self.call_handler, referring_practice=self.practice)

    @property
    def item(self):
        return self.referral.queue_item

    @cached_property
    def patient(self):
        return self.referral.patient

    @cached_property
    def patient_on_register(self):
        """The patient also on the Transfer of Care register, so the TOC member has a relationship with them."""
        return factories.register_entry(actor=self.toc_registrar, ward_=self.ward, patient_=self.patient)

    @cached_property
    def contact(self):
        return factories.contact(actor=self.call_handler, caller_phone="0113 496 0001", outcome="just_to_talk")

    @cached_property
    def call(self):
        return factories.follow_up_call(patient_=self.patient, actor=self.call_handler)

    @cached_property
    def call_back(self):
        return factories.call_back(actor=self.call_handler, team_=self.team)

    @cached_property
    def booking(self):
        return factories.transport_booking(actor=self.call_handler, patient_=self.patient)

    @cached_property
    def alert(self):
        return factories.safety_alert(patient_=self.patient, actor=self.call_handler)

    @cached_property
    def phone(self):
        return factories.patient_phone(patient_=self.patient, actor=self.call_handler)

    @cached_property
    def support_person(self):
        return factories.support_person(patient_=self.patient, actor=self.call_handler)

    @cached_property
    def service(self):
        return factories.directory_service(name="Befriending")

    @cached_property
    def organization(self):
        """A directory organisation with no services, so it may be retired."""
        return factories.directory_organization()

    @cached_property
    def location(self):
        from directory import services

        return services.location_create(actor=None, name="Hub")

    # IRR: an episode from another referral's decision, with a member and a visit; a fresh decision.
    def _decision(self):
        fresh = factories.referral(need=self.need, actor=self.call_handler)
        return factories.triaged(referral_=fresh, clinician=self.holder)

    @cached_property
    def episode(self):
        return factories.episode(decision=self._decision(), lead=self.holder)

    @cached_property
    def member(self):
        return factories.member(episode_=self.episode)

    @cached_property
    def visit(self):
        return factories.visit(episode_=self.episode, actor=self.holder, staff=[self.member])

    @cached_property
    def fresh_decision(self):
        return self._decision()

    # Transfer of Care: an entry on pathway 2 with a bed to reserve, another with a delay.
    @cached_property
    def toc_registrar(self) -> User:
        return factories.user(Role.TOC, organisation=self.acute_trust)

    @cached_property
    def ward(self):
        return factories.ward(code="ward-7", name="Ward 7 (care of the elderly)", organisation=self.acute_trust)

    @cached_property
    def bed_service(self):
        return factories.pathway_service(name="Intermediate care beds", pathway=2, capacity=52)

    @cached_property
    def entry(self):
        from discharge import services

        made = factories.register_entry(actor=self.toc_registrar, ward_=self.ward)
        services.pathway_set(entry=made, actor=self.toc_registrar, pathway=2)
        return made

    @cached_property
    def delay(self):
        other = factories.register_entry(actor=self.toc_registrar, ward_=self.ward)
        return factories.delay(entry_=other, actor=self.toc_registrar, reason=factories.delay_reason("C"))

    def person(self, role: str | None) -> User | None:
        """One person of ``role``, an insider for every object rule; None for anonymous."""
        if role is None:
            return None
        if role in (Role.DUTY_CLINICIAN, Role.TEAM_LEAD):
            made = factories.user(role, queues=[self.queue], team=self.team, organisation=self.team.organisation)
            factories.on_duty_now(queue=self.queue, clinician=made, is_lead=True)
            return made
        if role == Role.REFERRER:
            return factories.user(role, organisation=self.practice)
        if role == Role.TOC:
            return factories.user(role, organisation=self.acute_trust)
        return factories.user(role)

    def claimed_for(self, actor: User | None) -> None:
        """The item claimed by ``actor`` when they may claim it, else by the holder."""
        from ccc.permissions import can

        factories.claimed(item=self.item, actor=actor if can(actor, Action.QUEUE_ITEM_CLAIM, self.item) else self.holder)


def _no_args(world: World) -> dict:
    return {}


def missing(*names: str) -> Callable[[World], dict]:
    """URL arguments naming objects that do not exist."""
    return lambda world: {name: uuid.uuid4() for name in names}


@dataclass(frozen=True)
class Route:
    name: str  # the URL name, as reverse() takes it
    method: str
    needs: tuple[str, ...]  # every action the route needs (or ANYONE), in the order it asks
    args: Callable[[World], dict] = _no_args
    query: Callable[[World], str] | None = None
    api: bool = False
    data: Callable[[World], dict] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    ok: int | tuple[int, ...] = 200  # what those allowed are answered
    effect: Callable[[World], Any] | None = None  # a snapshot: changes for those allowed, not for the others
    prepare: Callable[[World, User | None], None] | None = None  # before the call, as this person
    label: str = ""  # when one URL name has several rows
    # Actions whose lack hides the object (404) rather than refusing the person (403): the record a
    # directory search or signposting is for.
    hides: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.name} {self.method.upper()}{' ' + self.label if self.label else ''}"

    def refused_with(self, role: str) -> int:
        """The status a logged-in ``role`` is refused with: its first missing action decides."""
        first_missing = next(need for need in self.needs if not grants(role, (need,)))
        return 404 if first_missing in self.hides else 403

    def url(self, world: World) -> str:
        return reverse(self.name, kwargs=self.args(world)) + (self.query(world) if self.query else "")

    def call(self, client, world: World):
        data = self.data(world) if self.data else None
        if self.api:
            return getattr(client, self.method)(self.url(world), data, format="json", **self.headers)
        return getattr(client, self.method)(self.url(world), data or {}, **self.headers)


def page(name, needs, method="get", **kwargs) -> Route:
    return Route(name, method, needs if isinstance(needs, tuple) else (needs,), **kwargs)


def api(name, needs, method="get", **kwargs) -> Route:
    return Route(name, method, needs if isinstance(needs, tuple) else (needs,), api=True, **kwargs)


def count(model_path: str) -> Callable[[World], int]:
    def snapshot(world: World) -> int:
        from django.apps import apps

        return apps.get_model(model_path).objects.count()

    return snapshot


def reread(attribute: str, *fields: str) -> Callable[[World], tuple]:
    """The named fields of ``world.<attribute>``, read again from the database."""

    def snapshot(world: World) -> tuple:
        obj = getattr(world, attribute)
        obj.refresh_from_db()
        return tuple(getattr(obj, name) for name in fields)

    return snapshot


def in_an_hour() -> str:
    return (timezone.now() + timedelta(hours=1)).isoformat()


A = Action
PATIENT = {"patient_id": lambda w: w.patient.public_id}
REFERRAL = {"referral_id": lambda w: w.referral.public_id}
FOR_REFERRAL = lambda w: f"?for=referral:{w.referral.public_id}"  # noqa: E731
FOR_CONTACT = lambda w: f"?for=contact:{w.contact.public_id}"  # noqa: E731
_by = lambda **makers: (lambda world: {key: make(world) for key, make in makers.items()})  # noqa: E731

CALL = _by(call_id=lambda w: w.call.public_id)
BOOKING = _by(booking_id=lambda w: w.booking.public_id)
CONTACT = _by(contact_id=lambda w: w.contact.public_id)
CALL_BACK = _by(request_id=lambda w: w.call_back.public_id)
CALL_BACK_API = _by(public_id=lambda w: w.call_back.public_id)

# --- The pages ---------------------------------------------------------------------------------

PAGES = [
    page("home", ANYONE, ok=(200, 302)),  # each role is sent on to its work (landing_for)
    page("session_keepalive", ANYONE),  # the idle warning's "Stay signed in"
    # The second step of logging in: those who passed it, or need none, go straight on.
    page("second_factor", ANYONE, ok=302),
    # Referrals and patients
    page("referrals:referral_list", A.REFERRAL_VIEW),
    page("referrals:patient_find", A.REFERRAL_CREATE),
    page("referrals:referral_create", A.REFERRAL_CREATE, args=_by(**PATIENT)),
    page("referrals:referral_detail", A.REFERRAL_VIEW, args=_by(**REFERRAL)),
    page("referrals:patient_create", A.PATIENT_CREATE),
    page("referrals:patient_detail", A.PATIENT_VIEW, args=_by(**PATIENT), prepare=lambda w, actor: w.patient_on_register),
    # Information governance: the access log, and its CSV
    page("access_log", A.ACCESS_LOG_VIEW),
    page("access_log_csv", A.ACCESS_LOG_VIEW, query=lambda w: f"?username={w.call_handler.username}"),
    # A patient's details and safety alerts; merging duplicates
    page("referrals:patient_details", A.PATIENT_DETAILS_EDIT, args=_by(**PATIENT)),
    page("referrals:patient_details", A.PATIENT_DETAILS_EDIT, "post", args=_by(**PATIENT), ok=302,
         data=lambda w: {"preferred_language": "Polish", "interpreter_needed": "on"},
         effect=reread("patient", "preferred_language")),
    page("referrals:patient_phone_add", A.PATIENT_DETAILS_EDIT, args=_by(**PATIENT)),
    page("referrals:patient_phone_end", A.PATIENT_DETAILS_EDIT, "post", ok=302, effect=reread("phone", "ended_at"),
         args=_by(**PATIENT, phone_id=lambda w: w.phone.public_id)),
    page("referrals:patient_support_person_add", A.PATIENT_DETAILS_EDIT, args=_by(**PATIENT)),
    page("referrals:patient_support_person_end", A.PATIENT_DETAILS_EDIT, "post", ok=302,
         effect=reread("support_person", "ended_at"),
         args=_by(**PATIENT, person_id=lambda w: w.support_person.public_id)),
    page("referrals:safety_alert_raise", A.PATIENT_DETAILS_EDIT, args=_by(**PATIENT)),
    page("referrals:safety_alert_end", A.PATIENT_DETAILS_EDIT, args=_by(**PATIENT, alert_id=lambda w: w.alert.public_id)),
    page("referrals:safety_alert_end", A.PATIENT_DETAILS_EDIT, "post", ok=302, effect=reread("alert", "ended_at"),
         args=_by(**PATIENT, alert_id=lambda w: w.alert.public_id), data=lambda w: {"reason": "Son moved out"}),
    page("referrals:patient_merge", A.PATIENT_MERGE, args=_by(**PATIENT)),
    page("referrals:patient_unmerge", A.PATIENT_MERGE, "post", args=missing("merge_id"), ok=404),
    # Follow-up calls and transport
    page("referrals:follow_up_work_list", A.FOLLOW_UP_CALL_VIEW),
    page("referrals:follow_up_call_detail", A.FOLLOW_UP_CALL_VIEW, args=CALL),
    page("referrals:follow_up_call_detail", (A.FOLLOW_UP_CALL_VIEW, A.FOLLOW_UP_CALL_WORK), "post", args=CALL,
         ok=302, data=lambda w: {"status": "no_answer"}, effect=reread("call", "status")),
    page("referrals:follow_up_call_schedule", A.FOLLOW_UP_CALL_WORK, args=_by(**PATIENT)),
    page("referrals:transport_list", A.TRANSPORT_VIEW),
    page("referrals:transport_detail", A.TRANSPORT_VIEW, args=BOOKING),
    page("referrals:transport_detail", (A.TRANSPORT_VIEW, A.TRANSPORT_BOOK), "post", args=BOOKING, ok=302,
         data=lambda w: {"status": "booked"}, effect=reread("booking", "status")),
    page("referrals:transport_create", A.TRANSPORT_BOOK, args=_by(**PATIENT)),
    # Call-back requests (made from the contact form)
    page("referrals:call_back_list", A.CALL_BACK_VIEW),
    page("referrals:call_back_detail", A.CALL_BACK_VIEW, args=CALL_BACK),
    page("referrals:call_back_detail", (A.CALL_BACK_VIEW, A.CALL_BACK_RECORD), "post", args=CALL_BACK, ok=302,
         data=lambda w: {"status": "called_back", "note": "Spoke to her"}, effect=reread("call_back", "status")),
    # Contacts and tracking
    page("referrals:contact_list", A.CONTACT_VIEW),
    page("referrals:contact_log", A.CONTACT_LOG),
    page("referrals:contact_detail", A.CONTACT_VIEW, args=CONTACT),
    page("referrals:contact_amend", A.CONTACT_LOG, args=CONTACT),
    page("referrals:contact_signpost", A.CONTACT_LOG, args=CONTACT),
    page("referrals:tracking_list", A.REFERRAL_TRACK),
    page("referrals:tracking_detail", A.REFERRAL_TRACK, args=_by(**REFERRAL)),
    page("referrals:referral_send", A.REFERRAL_SEND),
    page("referrals:referral_cancel", A.REFERRAL_CANCEL, args=_by(**REFERRAL)),
    page("referrals:referral_cancel", A.REFERRAL_CANCEL, "post", args=_by(**REFERRAL), ok=302,
         data=lambda w: {"reason": "Sent for the wrong patient"}, effect=reread("item", "status")),
    # Duty triage
    page("triage:queue_list", A.QUEUE_VIEW),
    page("triage:queue_detail", A.QUEUE_VIEW, args=_by(code=lambda w: w.queue.code)),
    page("triage:queue_items_fragment", A.QUEUE_VIEW, args=_by(code=lambda w: w.queue.code)),
    page("triage:queue_rota", A.ROTA_MANAGE, args=_by(code=lambda w: w.queue.code)),
    page("triage:queue_claim_next", A.QUEUE_ITEM_CLAIM, "post", args=_by(code=lambda w: w.item.queue.code), ok=302,
         effect=reread("item", "status", "claimed_by_id")),
    page("triage:item_claim", A.QUEUE_ITEM_CLAIM, "post", args=_by(item_id=lambda w: w.item.public_id), ok=302,
         effect=reread("item", "status", "claimed_by_id")),
    page("triage:item_triage", A.QUEUE_ITEM_TRIAGE, args=_by(item_id=lambda w: w.item.public_id),
         prepare=World.claimed_for),
    page("triage:item_release", A.QUEUE_ITEM_RELEASE, args=_by(item_id=lambda w: w.item.public_id),
         prepare=World.claimed_for),
    page("triage:item_return", A.QUEUE_ITEM_TRIAGE, args=_by(item_id=lambda w: w.item.public_id),
         prepare=World.claimed_for),
    page("triage:item_reassign", A.QUEUE_ITEM_REASSIGN, args=_by(item_id=lambda w: w.item.public_id),
         prepare=lambda w, actor: factories.claimed(item=w.item, actor=w.holder)),
    page("triage:item_urgency", A.QUEUE_ITEM_URGENCY, args=_by(item_id=lambda w: w.item.public_id)),
    # Notifications and escalations: who was told decides, so the matrix asks for one that does not exist.
    page("escalations:notification_list", A.NOTIFICATION_VIEW),
    page("escalations:notification_read_all", A.NOTIFICATION_VIEW, "post", ok=302),
    page("escalations:notification_open", A.NOTIFICATION_VIEW, "post", args=missing("notification_id"), ok=404),
    page("escalations:escalation_list", A.ESCALATION_VIEW_ALL),
    page("escalations:escalation_detail", A.NOTIFICATION_VIEW, args=missing("escalation_id"), ok=404),
    # Acknowledging: those with the grant reach it (404: there is no such escalation), others are refused.
    page("escalations:escalation_detail", (A.NOTIFICATION_VIEW, A.ESCALATION_ACKNOWLEDGE), "post",
         args=missing("escalation_id"), data=lambda w: {"note": "On it"}, ok=404, label="acknowledge"),
    # Dashboard
    page("reporting:dashboard", A.DASHBOARD_VIEW),
    page("live_capacity", A.CAPACITY_VIEW),
    page("opel:system", A.SYSTEM_LEVEL_VIEW),
    page("opel:day_summary_csv", A.SYSTEM_LEVEL_VIEW),
    page("opel:partner_level", A.SYSTEM_LEVEL_SET, "post", args=lambda w: {"partner_id": 999_999}, ok=404),
    page("reporting:joint_data_set_csv", A.DASHBOARD_VIEW),
    page("reporting:figure_csv", A.DASHBOARD_VIEW, args=lambda w: {"slug": "referrals-per-day"}),
    # Directory
    page("directory:search", A.DIRECTORY_SEARCH),
    # Searching or signposting for a record: the record must be one the person may see (else 404),
    # then they must be one who signposts (else 403).
    page("directory:search", (A.DIRECTORY_SEARCH, A.REFERRAL_VIEW, A.SIGNPOSTING_RECORD), label="for a referral",
         query=FOR_REFERRAL, hides=(A.REFERRAL_VIEW,)),
    page("directory:search", (A.DIRECTORY_SEARCH, A.CONTACT_VIEW, A.SIGNPOSTING_RECORD), label="for a contact",
         query=FOR_CONTACT, hides=(A.CONTACT_VIEW,)),
    page("directory:signpost", (A.SIGNPOSTING_RECORD, A.REFERRAL_VIEW), "post", label="a referral",
         hides=(A.REFERRAL_VIEW,),
         query=FOR_REFERRAL, ok=302, effect=count("directory.Signposting"),
         data=lambda w: {"service": w.service.pk, "need": "Company", "submission_key": "k1"}),
    page("directory:signpost", (A.SIGNPOSTING_RECORD, A.CONTACT_VIEW), "post", label="a contact",
         hides=(A.CONTACT_VIEW,),
         query=FOR_CONTACT, ok=302, effect=count("directory.Signposting"),
         data=lambda w: {"service": w.service.pk, "need": "Company", "submission_key": "k1"}),
    page("directory:signpost", (A.SIGNPOSTING_RECORD, A.CONTACT_VIEW), "post", label="an unmet need",
         hides=(A.CONTACT_VIEW,),
         query=FOR_CONTACT, ok=302, effect=count("directory.Signposting"),
         data=lambda w: {"unmet_need": "on", "need": "Night sitting", "submission_key": "k2"}),
    page("directory:service_detail", A.DIRECTORY_SEARCH, args=_by(service_id=lambda w: w.service.pk)),
    page("directory:review_list", A.DIRECTORY_SEARCH),
    page("directory:service_create", A.DIRECTORY_EDIT),
    page("directory:service_update", A.DIRECTORY_EDIT, args=_by(service_id=lambda w: w.service.pk)),
    page("directory:service_retire", A.DIRECTORY_EDIT, "post", args=_by(service_id=lambda w: w.service.pk), ok=302,
         effect=reread("service", "status")),
    page("directory:organization_list", A.DIRECTORY_EDIT),
    page("directory:organization_create", A.DIRECTORY_EDIT),
    page("directory:organization_update", A.DIRECTORY_EDIT,
         args=_by(organization_id=lambda w: w.service.organization.pk)),
    page("directory:organization_retire", A.DIRECTORY_EDIT, "post", ok=302,
         args=_by(organization_id=lambda w: w.organization.pk), effect=reread("organization", "retired_at")),
    page("directory:location_create", A.DIRECTORY_EDIT),
    page("directory:location_update", A.DIRECTORY_EDIT, args=_by(location_id=lambda w: w.location.pk)),
    page("directory:location_retire", A.DIRECTORY_EDIT, "post", args=_by(location_id=lambda w: w.location.pk),
         ok=302, effect=reread("location", "retired_at")),
    # Transfer of Care: the one-click forms post to an entry or delay that does not exist.
    page("discharge:board", A.TOC_VIEW),
    page("discharge:entry_register", A.TOC_WORK),
    page("discharge:capacity", A.TOC_VIEW),
    page("discharge:stranded", A.TOC_VIEW),
    page("discharge:figures", A.TOC_VIEW),
    page("discharge:sitrep_export", A.TOC_VIEW, query=lambda w: "?month=2025-10"),
    page("discharge:occupancy", A.TOC_OCCUPANCY_RECORD),
    page("discharge:inpatients", A.TOC_VIEW),
    page("discharge:feed_held", A.TOC_WORK),
    page("discharge:feed_resolve", A.TOC_WORK, "post", args=missing("message_id"), ok=404),
    page("discharge:entry_detail", A.TOC_VIEW, args=_by(entry_id=lambda w: w.entry.public_id)),
    *[
        page(f"discharge:{name}", A.TOC_WORK, "post", args=missing("entry_id"), ok=404)
        for name in ("entry_update", "entry_pathway", "entry_reserve", "booking_release", "entry_delay",
                     "entry_assessment", "assessment_accept", "entry_discharge", "entry_review",
                     "entry_discharge_dates")
    ],
    page("discharge:delay_sign_off", A.TOC_DELAY_SIGN_OFF, "post", args=missing("delay_id"), ok=404),
    page("discharge:delay_end", A.TOC_WORK, "post", args=missing("delay_id"), ok=404),
    # IRR episodes
    page("irr:episode_list", A.EPISODE_VIEW),
    # Paper for when the system is down: print views, and the downtime export (every list at once)
    page("downtime:queue_print", A.QUEUE_VIEW, args=_by(code=lambda w: w.queue.code)),
    page("downtime:board_print", A.TOC_VIEW),
    page("downtime:visits_print", A.EPISODE_VIEW),
    page("downtime:export", A.DOWNTIME_EXPORT),
    page("irr:episode_open", A.EPISODE_MANAGE, args=_by(decision_id=lambda w: w.fresh_decision.public_id)),
    page("irr:episode_detail", A.EPISODE_VIEW, args=_by(episode_id=lambda w: w.episode.public_id)),
    page("irr:member_add", A.EPISODE_MANAGE, args=_by(episode_id=lambda w: w.episode.public_id)),
    page("irr:visit_plan", A.EPISODE_MANAGE, args=_by(episode_id=lambda w: w.episode.public_id)),
    page("irr:episode_close", A.EPISODE_MANAGE, args=_by(episode_id=lambda w: w.episode.public_id)),
    page("irr:visit_record", A.EPISODE_MANAGE, args=_by(visit_id=lambda w: w.visit.public_id)),
    # The administration pages (the admin sends the refused to its login hop first)
    *[
        page(f"admin:{model}_changelist", A.ADMINISTER)
        for model in ("triage_routingrule", "discharge_pathwayservice", "discharge_delayreason",
                      "escalations_escalationladder", "escalations_clock", "escalations_escalation")
    ],
]

# --- The API -----------------------------------------------------------------------------------

ITEM = _by(public_id=lambda w: w.item.public_id)
ENTRY = _by(public_id=lambda w: w.entry.public_id)
EPISODE = _by(public_id=lambda w: w.episode.public_id)
TRIAGE_BODY = {
    "priority": "routine", "outcome": "signpost", "clinical_note": "Leaflet sent", "signposted_to": "Befriending service",
    "safeguarding_concern": False, "lone_working_risk": False, **factories.RISK_NONE,
}
REGISTER_BODY = {
    "given_name": "Edith", "family_name": "Crawley", "date_of_birth": "1938-05-02", "admitted_on": "2025-10-01",
    "consultant": "Dr Evans", "source": "ward", "referred_on": "2025-10-02",
}


def _example_message() -> dict:
    import json
    from pathlib import Path

    return json.loads((Path(__file__).resolve().parents[1] / "docs" / "fhir" / "referral-message.json").read_text())


def _key(name: str) -> dict[str, str]:
    return {"HTTP_IDEMPOTENCY_KEY": f"matrix-{name}"}


API = [
    # Patients and referrals
    api("api-patient-list", A.PATIENT_VIEW, query=lambda w: "?nhs_number=9990000018"),
    api("api-patient-list", A.PATIENT_CREATE, "post", ok=201, effect=count("referrals.Patient"),
        data=lambda w: {"given_name": "Sam", "family_name": "Patel", "date_of_birth": "1950-01-01"}),
    api("api-patient-detail", A.PATIENT_VIEW, args=_by(public_id=lambda w: w.patient.public_id),
        prepare=lambda w, actor: w.patient_on_register),
    api("api-live-capacity", A.CAPACITY_VIEW),
    api("api-patient-communication", A.PATIENT_DETAILS_EDIT, "post", args=_by(public_id=lambda w: w.patient.public_id),
        data=lambda w: {"preferred_language": "Polish", "interpreter_needed": True},
        effect=reread("patient", "preferred_language")),
    api("api-patient-phones", A.PATIENT_DETAILS_EDIT, "post", ok=201, effect=count("referrals.PatientPhone"),
        args=_by(public_id=lambda w: w.patient.public_id), data=lambda w: {"number": "0113 496 0000"}),
    api("api-patient-people", A.PATIENT_DETAILS_EDIT, "post", ok=201, effect=count("referrals.PatientSupportPerson"),
        args=_by(public_id=lambda w: w.patient.public_id), data=lambda w: {"name": "Ann Smith", "is_next_of_kin": True}),
    api("api-patient-alerts", A.PATIENT_DETAILS_EDIT, "post", ok=201, effect=count("referrals.SafetyAlert"),
        args=_by(public_id=lambda w: w.patient.public_id),
        data=lambda w: {"category": "animals", "detail": "Two dogs: ask for them to be shut away",
                        "review_on": (timezone.localdate() + timedelta(days=30)).isoformat()}),
    api("api-patient-end-alert", A.PATIENT_DETAILS_EDIT, "post", effect=reread("alert", "ended_at"),
        args=_by(public_id=lambda w: w.patient.public_id, alert_id=lambda w: w.alert.public_id),
        data=lambda w: {"reason": "Son moved out"}),
    api("api-referral-list", A.REFERRAL_VIEW),
    api("api-referral-list", A.REFERRAL_CREATE, "post", ok=201, effect=count("referrals.Referral"),
        headers=_key("referral"), prepare=lambda w, actor: w.referral,
        data=lambda w: {"patient": str(w.patient.public_id), "need": w.need.code, "referrer_type": "gp",
                        "referrer_name": "Dr Jones", "reason": "Fall"}),
    api("api-referral-detail", A.REFERRAL_VIEW, args=_by(public_id=lambda w: w.referral.public_id)),
    api("api-tracked-referral-list", A.REFERRAL_TRACK, prepare=lambda w, actor: w.referral),
    api("api-tracked-referral-detail", A.REFERRAL_TRACK, args=_by(public_id=lambda w: w.referral.public_id)),
    api("api-tracked-referral-cancel", A.REFERRAL_CANCEL, "post", args=_by(public_id=lambda w: w.referral.public_id),
        data=lambda w: {"reason": "Sent for the wrong patient"}, effect=reread("item", "status")),
    api("api-tracked-referral-list", A.REFERRAL_SEND, "post", ok=201, effect=count("referrals.Referral"),
        headers=_key("send"), data=lambda w: {
            "nhs_number": "9990000018", "given_name": "Ruth", "family_name": "Ellis", "date_of_birth": "1948-04-03",
            "need": w.need.code, "reason": "Fell twice this week"}),
    # Queues and queue items
    api("api-queue-list", A.QUEUE_VIEW),
    api("api-queue-items", A.QUEUE_VIEW, args=_by(code=lambda w: w.queue.code)),
    api("api-queue-items", A.QUEUE_VIEW, args=_by(code=lambda w: w.queue.code), query=lambda w: "?mine=1",
        label="mine"),
    api("api-queue-claim-next", A.QUEUE_ITEM_CLAIM, "post", args=_by(code=lambda w: w.item.queue.code),
        effect=reread("item", "status", "claimed_by_id")),
    api("api-queue-item-claim", A.QUEUE_ITEM_CLAIM, "post", args=ITEM, effect=reread("item", "status", "claimed_by_id")),
    api("api-queue-item-triage", A.QUEUE_ITEM_TRIAGE, "post", args=ITEM, ok=201, prepare=World.claimed_for,
        data=lambda w: TRIAGE_BODY, effect=reread("item", "status")),
    api("api-queue-item-release", A.QUEUE_ITEM_RELEASE, "post", args=ITEM, prepare=World.claimed_for,
        data=lambda w: {"reason": "Going out on a visit"}, effect=reread("item", "status", "claimed_by_id")),
    api("api-queue-item-reassign", A.QUEUE_ITEM_REASSIGN, "post", args=ITEM,
        prepare=lambda w, actor: factories.claimed(item=w.item, actor=w.holder),
        data=lambda w: {"to": w.cover.username, "reason": "Cover",
                        "expected_holder": w.holder.username},
        effect=reread("item", "claimed_by_id")),
    api("api-queue-item-return-to-referrer", A.QUEUE_ITEM_TRIAGE, "post", args=ITEM, prepare=World.claimed_for,
        data=lambda w: {"reason": "more_information_needed", "note": "Which leg is swollen?"},
        effect=reread("item", "status")),
    api("api-queue-item-urgency", A.QUEUE_ITEM_URGENCY, "post", args=ITEM,
        data=lambda w: {"urgency": "emergency", "reason": "Worse on the phone"}, effect=reread("item", "urgency", "due_at")),
    api("api-red-flag-question-list", A.REFERRAL_CREATE),
    # Follow-up calls and transport
    api("api-follow-up-call-list", A.FOLLOW_UP_CALL_VIEW),
    api("api-follow-up-call-list", A.FOLLOW_UP_CALL_WORK, "post", ok=201, effect=count("referrals.FollowUpCall"),
        headers=_key("call"),
        data=lambda w: {"patient": str(w.patient.public_id), "due_at": in_an_hour(), "reason": "Asked for a call back"}),
    api("api-follow-up-call-detail", A.FOLLOW_UP_CALL_VIEW, args=_by(public_id=lambda w: w.call.public_id)),
    api("api-follow-up-call-outcome", A.FOLLOW_UP_CALL_WORK, "post", args=_by(public_id=lambda w: w.call.public_id),
        data=lambda w: {"status": "answered_well"}, effect=reread("call", "status")),
    api("api-call-back-list", A.CALL_BACK_VIEW),
    api("api-call-back-list", A.CALL_BACK_REQUEST, "post", ok=201, effect=count("referrals.CallBackRequest"),
        headers=_key("call-back"),
        data=lambda w: {"team": w.team.pk, "caller_name": "Iris Bell", "caller_phone": "0113 496 0001",
                        "reason": "Asked for the nurse", "urgency": "urgent"}),
    api("api-call-back-detail", A.CALL_BACK_VIEW, args=CALL_BACK_API),
    api("api-call-back-record", A.CALL_BACK_RECORD, "post", args=CALL_BACK_API,
        data=lambda w: {"status": "called_back"}, effect=reread("call_back", "status")),
    api("api-transport-booking-list", A.TRANSPORT_VIEW),
    api("api-transport-booking-list", A.TRANSPORT_BOOK, "post", ok=201, effect=count("referrals.TransportBooking"),
        headers=_key("transport"),
        data=lambda w: {"patient": str(w.patient.public_id), "pickup_at": in_an_hour(), "pickup_from": "Home",
                        "destination": "Clinic", "mobility": "walking"}),
    api("api-transport-booking-detail", A.TRANSPORT_VIEW, args=_by(public_id=lambda w: w.booking.public_id)),
    api("api-transport-booking-transition", A.TRANSPORT_BOOK, "post",
        args=_by(public_id=lambda w: w.booking.public_id), data=lambda w: {"status": "booked"},
        effect=reread("booking", "status")),
    # Notifications and escalations: who was told decides, so the matrix names one that does not exist.
    api("api-notification-list", A.NOTIFICATION_VIEW),
    api("api-notification-read", A.NOTIFICATION_VIEW, "post", args=missing("public_id"), ok=404),
    api("api-escalation-list", A.ESCALATION_VIEW_ALL),
    # Those with the grant reach it and are told there is no such escalation, whatever the endpoint
    # later does with one that was not sent to them; ``OBJECT_REFUSALS`` and tests/escalations check that.
    api("api-escalation-acknowledge", A.ESCALATION_ACKNOWLEDGE, "post", args=missing("public_id"), ok=404,
        data=lambda w: {"note": "Calling now"}),
    # Data out
    api("api-fhir-servicerequest-list", A.REFERRAL_VIEW, prepare=lambda w, actor: w.referral),
    api("api-fhir-servicerequest-detail", A.REFERRAL_VIEW, args=_by(public_id=lambda w: w.referral.public_id)),
    api("api-fhir-patient-detail", A.REFERRAL_VIEW, args=_by(public_id=lambda w: w.patient.public_id)),
    # FHIR R4 for referrers' systems (interop): the example message names Ash Tree Surgery and falls.
    api("fhir-process-message", A.REFERRAL_SEND, "post", effect=count("interop.ReceivedMessage"),
        prepare=lambda w, actor: w.need, data=lambda w: _example_message()),
    api("fhir-servicerequest-read", A.REFERRAL_TRACK, args=_by(public_id=lambda w: w.referral.public_id)),
    api("fhir-patient-read", A.REFERRAL_TRACK, args=_by(public_id=lambda w: w.patient.public_id)),
    api("api-joint-data-set-list", A.DASHBOARD_VIEW, prepare=lambda w, actor: w.referral),
    # Transfer of Care
    api("api-toc-register-list", A.TOC_VIEW),
    api("api-toc-register-list", A.TOC_WORK, "post", ok=201, headers=_key("register"),
        effect=count("discharge.RegisterEntry"), data=lambda w: {**REGISTER_BODY, "ward": w.ward.code}),
    api("api-toc-register-detail", A.TOC_VIEW, args=ENTRY),
    api("api-toc-register-pathway", A.TOC_WORK, "post", args=ENTRY, effect=reread("entry", "pathway"),
        data=lambda w: {"pathway": 3, "reason": "Nursing needs after all"}),
    api("api-toc-register-reserve", A.TOC_WORK, "post", args=ENTRY, ok=201, effect=count("discharge.CapacityBooking"),
        data=lambda w: {"service": w.bed_service.pk}),
    api("api-toc-register-delays", A.TOC_WORK, "post", args=ENTRY, ok=201, effect=count("discharge.Delay"),
        data=lambda w: {"reason_code_set": "ddc", "reason_code": "pathway-2", "attribution": "nhs",
                        "starts_on": timezone.localdate().isoformat()}),
    api("api-toc-delay-sign-off", A.TOC_DELAY_SIGN_OFF, "post", args=_by(public_id=lambda w: w.delay.public_id),
        ok=201, effect=count("discharge.DelaySignOff"), data=lambda w: {"partner": "acute"}),
    api("api-toc-delay-end", A.TOC_WORK, "post", args=_by(public_id=lambda w: w.delay.public_id),
        effect=reread("delay", "ends_on"), data=lambda w: {"ends_on": timezone.localdate().isoformat()}),
    api("api-toc-register-entry-update", A.TOC_WORK, "post", args=ENTRY, effect=reread("entry", "next_action"),
        data=lambda w: {"owner": None, "next_action": "Ring the family", "next_action_due": None,
                        "fit_on": w.entry.fit_on.isoformat()}),
    api("api-toc-register-assessment", A.TOC_WORK, "post", args=ENTRY, ok=201,
        effect=count("discharge.TrustedAssessment"),
        data=lambda w: {"assessor_name": "A. Nurse", "assessor_organisation": w.acute_trust.pk,
                        "assessed_on": timezone.localdate().isoformat(), "summary": "Frame"}),
    # Giving back a bed and accepting an assessment need one held: the rows check who reaches them;
    # tests/discharge/test_parity.py does both on a real one.
    api("api-toc-register-release", A.TOC_WORK, "post", args=missing("public_id"), ok=404),
    api("api-toc-register-assessment-accept", A.TOC_WORK, "post", args=missing("public_id"), ok=404,
        data=lambda w: {"service": w.bed_service.pk}),
    api("api-toc-register-discharge", A.TOC_WORK, "post", args=_by(public_id=lambda w: w.delay.entry.public_id),
        effect=lambda w: type(w.delay.entry).objects.get(pk=w.delay.entry_id).status,
        data=lambda w: {"discharged_on": timezone.localdate().isoformat(), "destination": "Home", "pathway_used": 0,
                        "readmission_risk": "low"}),
    api("api-toc-register-reviews", A.TOC_WORK, "post", args=ENTRY, ok=201,
        effect=count("discharge.ResidenceReview"),
        data=lambda w: {"reviewed_on": timezone.localdate().isoformat(), "meets_criteria": False,
                        "not_met_since": w.entry.fit_on.isoformat()}),
    api("api-toc-register-discharge-dates", A.TOC_WORK, "post", args=ENTRY,
        effect=reread("entry", "expected_discharge_on"),
        data=lambda w: {"discharge_ready_on": None, "expected_discharge_on": timezone.localdate().isoformat()}),
    api("api-toc-figures-discharge-ready", A.TOC_VIEW, query=lambda w: "?week=2025-10-08"),
    api("api-toc-capacity-list", A.TOC_VIEW),
    api("api-toc-figures-list", A.TOC_VIEW, query=lambda w: "?month=2025-10"),
    api("api-toc-occupancy-list", A.TOC_OCCUPANCY_RECORD, "post", effect=count("discharge.BedOccupancy"),
        data=lambda w: {"ward": w.ward.code, "on": "2025-10-01", "occupied_beds": 20}),
    api("api-toc-occupancy-load", A.TOC_OCCUPANCY_RECORD, "post", effect=count("discharge.BedOccupancy"),
        data=lambda w: {"csv": f"ward,date,occupied_beds\n{w.ward.code},2025-10-02,21\n"}),
    # IRR episodes
    api("api-irr-episode-list", A.EPISODE_VIEW, prepare=lambda w, actor: w.episode),
    api("api-irr-episode-list", A.EPISODE_MANAGE, "post", ok=201, effect=count("irr.Episode"),
        data=lambda w: {"source_decision": str(w.fresh_decision.public_id), "lead_professional": w.holder.username,
                        "planned_end": (timezone.localdate() + timedelta(weeks=2)).isoformat(),
                        "goals": "Home safely", "lead_discipline": "nurse"}),
    api("api-irr-episode-detail", A.EPISODE_VIEW, args=EPISODE),
    api("api-irr-episode-members", A.EPISODE_MANAGE, "post", args=EPISODE, ok=201,
        # The episode's own members: opening it (lazily, for the URL) adds its lead as the first.
        effect=lambda w: w.episode.members.count(),
        data=lambda w: {"name": "Sam Reid", "discipline": "therapist", "organisation": w.episode.team.organisation_id}),
    api("api-irr-episode-visits", A.EPISODE_MANAGE, "post", args=EPISODE, ok=201, effect=count("irr.Visit"),
        data=lambda w: {"kind": "planned", "scheduled_for": timezone.now().isoformat(), "staff": [w.member.pk]}),
    api("api-irr-episode-close", A.EPISODE_MANAGE, "post", args=EPISODE, effect=reread("episode", "status"),
        data=lambda w: {"outcome": "stayed_at_home"}),
    api("api-irr-visit-record", A.EPISODE_MANAGE, "post", args=_by(public_id=lambda w: w.visit.public_id),
        effect=reread("visit", "status"), data=lambda w: {"outcome": "Seen at home"}),
    # The directory's Open Referral UK API (read-only)
    api("oruk-services", A.DIRECTORY_SEARCH, prepare=lambda w, actor: w.service),
    api("oruk-service", A.DIRECTORY_SEARCH, args=_by(service_id=lambda w: w.service.pk)),
    api("oruk-taxonomy-terms", A.DIRECTORY_SEARCH),
    # The schema and its docs
    api("api-schema", A.API_DOCS),
    api("api-docs", A.API_DOCS),
]

ROUTES = PAGES + API

# URL names the matrix does not walk: logging in and out is for everyone, and the admin's own pages
# are Django's (the changelists above stand for them).
NOT_WALKED_PREFIXES = ("admin:",)
NOT_WALKED = {"login", "logout"}

# --- Object rules: people whose role may, refused for this object ------------------------------


def _other_queue_clinician(world: World) -> User:
    other = factories.duty_queue(code="mental-health", name="Mental health duty queue")
    return factories.user(Role.DUTY_CLINICIAN, queues=[other])


def _off_the_irr_team(world: World) -> User:
    made = factories.user(Role.DUTY_CLINICIAN, queues=[world.queue])
    factories.on_duty_now(queue=world.queue, clinician=made)
    return made


OUTSIDERS: dict[str, Callable[[World], User]] = {
    "another queue's clinician": _other_queue_clinician,
    "a clinician of the queue off its IRR team": _off_the_irr_team,
    "a clinician on duty but not the duty lead": lambda world: world._on_duty(),
    "another practice's referrer": lambda world: factories.user(
        Role.REFERRER, organisation=factories.gp_practice(name="Beech Road Practice")
    ),
    "a referrer with no practice or ward": lambda world: factories.user(Role.REFERRER),
}

# (row id, outsider, status): 404 where the object is not there for them, 403 where they may see it
# but not do this.
OBJECT_REFUSALS: list[tuple[str, str, int]] = [
    *[
        (route, "another queue's clinician", 404)
        for route in (
            "referrals:referral_detail GET", "triage:queue_detail GET", "triage:queue_items_fragment GET",
            "downtime:queue_print GET",
            "triage:queue_claim_next POST", "triage:item_claim POST", "triage:item_triage GET",
            "triage:item_release GET", "triage:item_return GET", "triage:item_reassign GET", "triage:item_urgency GET",
            "directory:search GET for a referral", "directory:signpost POST a referral",
            "irr:episode_open GET", "irr:episode_detail GET", "irr:member_add GET", "irr:visit_plan GET",
            "irr:episode_close GET", "irr:visit_record GET",
            "api-referral-detail GET", "api-queue-items GET", "api-queue-claim-next POST", "api-queue-item-claim POST",
            "api-queue-item-triage POST", "api-queue-item-release POST", "api-queue-item-reassign POST",
            "api-queue-item-urgency POST", "api-queue-item-return-to-referrer POST",
            "api-fhir-servicerequest-detail GET", "api-fhir-patient-detail GET", "api-irr-episode-detail GET", "api-irr-episode-members POST",
            "api-irr-episode-visits POST", "api-irr-episode-close POST", "api-irr-visit-record POST",
        )
    ],
    *[
        (route, "a clinician of the queue off its IRR team", status)
        for route, status in (
            ("irr:episode_detail GET", 404), ("irr:member_add GET", 404), ("irr:visit_plan GET", 404),
            ("irr:episode_close GET", 404), ("irr:visit_record GET", 404), ("api-irr-episode-detail GET", 404),
            ("api-irr-episode-members POST", 404),
            # Another team's call backs are not there for them.
            ("referrals:call_back_detail GET", 404), ("referrals:call_back_detail POST", 404),
            ("api-call-back-detail GET", 404), ("api-call-back-record POST", 404),
        )
    ],
    # A clinician opens only the patients in their queues and team: another's are refused, not hidden.
    ("referrals:patient_detail GET", "another queue's clinician", 403),
    ("api-patient-detail GET", "another queue's clinician", 403),
    ("triage:item_reassign GET", "a clinician on duty but not the duty lead", 403),
    ("api-queue-item-reassign POST", "a clinician on duty but not the duty lead", 403),
    ("referrals:tracking_detail GET", "another practice's referrer", 404),
    ("api-tracked-referral-detail GET", "another practice's referrer", 404),
    ("referrals:referral_cancel GET", "another practice's referrer", 404),
    ("referrals:referral_cancel POST", "another practice's referrer", 404),
    ("api-tracked-referral-cancel POST", "another practice's referrer", 404),
    ("fhir-servicerequest-read GET", "another practice's referrer", 404),
    ("fhir-patient-read GET", "another practice's referrer", 404),
    ("referrals:tracking_detail GET", "a referrer with no practice or ward", 404),
]
ROUTES_BY_ID = {route.id: route for route in ROUTES}

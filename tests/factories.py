"""Test data in one place. Plain functions: each makes one thing with sensible defaults."""

import itertools
import uuid
from datetime import date, timedelta

from django.utils import timezone

from ccc.models import Organisation, Team, User
from referrals import services as referral_services
from referrals.models import NeedCategory, Patient, Referral
from triage.models import DutyQueue, RoutingRule

_counter = itertools.count(1)

PASSWORD = "correct-horse-battery-staple"

# Valid test-range NHS numbers (999 000 0000 to 999 999 9999 pass Modulus 11 and are never issued).
TEST_NHS_NUMBERS = ["9990000018", "9990000026", "9990000034", "9990000042", "9990000050", "9990000069"]


def organisation(**kwargs) -> Organisation:
    n = next(_counter)
    kwargs.setdefault("name", f"Organisation {n}")
    kwargs.setdefault("kind", Organisation.Kind.ACUTE_TRUST)
    return Organisation.objects.create(**kwargs)


def team(**kwargs) -> Team:
    n = next(_counter)
    kwargs.setdefault("name", f"Team {n}")
    if "organisation" not in kwargs:
        kwargs["organisation"] = organisation()
    return Team.objects.create(**kwargs)


def user(role: str = User.Role.CALL_HANDLER, queues=(), **kwargs) -> User:
    n = next(_counter)
    kwargs.setdefault("username", f"{role or 'norole'}{n}")
    kwargs.setdefault("first_name", role.replace("_", " ").title() if role else "No role")
    kwargs.setdefault("last_name", f"Person{n}")
    kwargs.setdefault("email", f"{kwargs['username']}@example.nhs.uk")
    made = User.objects.create_user(password=PASSWORD, role=role, **kwargs)
    for queue in queues:
        queue.clinicians.add(made)
    return made


def duty_queue(**kwargs) -> DutyQueue:
    n = next(_counter)
    kwargs.setdefault("code", f"queue-{n}")
    kwargs.setdefault("name", f"Queue {n}")
    return DutyQueue.objects.create(**kwargs)


def need(queue: DutyQueue | None = None, fallback: DutyQueue | None = None, **kwargs) -> NeedCategory:
    """A need category, routed to ``queue`` when one is given."""
    n = next(_counter)
    kwargs.setdefault("code", f"need-{n}")
    kwargs.setdefault("name", f"Need {n}")
    kwargs.setdefault("group", "Physical health")
    made = NeedCategory.objects.create(**kwargs)
    if queue is not None:
        RoutingRule.objects.create(need=made, queue=queue, fallback_queue=fallback)
    return made


def patient(**kwargs) -> Patient:
    n = next(_counter)
    kwargs.setdefault("given_name", "Alex")
    kwargs.setdefault("family_name", f"Smith{n}")
    kwargs.setdefault("date_of_birth", date(1950, 1, 1))
    kwargs.setdefault("postcode", "LS1 4AP")
    return Patient.objects.create(**kwargs)


def referral(*, need: NeedCategory, actor: User, patient_: Patient | None = None, **kwargs) -> Referral:
    """A referral recorded through the real intake service, so it is routed like any other."""
    kwargs.setdefault("referrer_type", Referral.ReferrerType.GP)
    kwargs.setdefault("referrer_name", "Dr Jones")
    kwargs.setdefault("reason", "Fall at home, no injury, struggling to mobilise")
    kwargs.setdefault("idempotency_key", uuid.uuid4().hex)
    made, _ = referral_services.referral_create(
        actor=actor, patient=patient_ or patient(), need=need, **kwargs
    )
    return made


def now():
    return timezone.now()


# Front desk: out of hours, community nursing, follow-up calls, transport ---------------------


def gp_practice(**kwargs) -> Organisation:
    n = next(_counter)
    kwargs.setdefault("name", f"Practice {n}")
    kwargs.setdefault("ods_code", f"Y{n:05d}")
    return organisation(kind=Organisation.Kind.GP_PRACTICE, **kwargs)


def practice_locality(practice: Organisation, team_: Team):
    from referrals.models import PracticeLocality

    return PracticeLocality.objects.create(practice=practice, team=team_)


def out_of_hours_period(weekday: int, starts: str, ends: str):
    from triage.models import OutOfHoursPeriod

    return OutOfHoursPeriod.objects.create(weekday=weekday, starts=starts, ends=ends)


def follow_up_call(*, patient_: Patient | None = None, due_at=None, actor: User | None = None, **kwargs):
    """A follow-up call scheduled by hand, through the real service."""
    made, _ = referral_services.follow_up_call_schedule(
        patient=patient_ or patient(),
        due_at=due_at or timezone.now(),
        reason=kwargs.pop("reason", "Discharged yesterday, high risk of readmission"),
        actor=actor or user(User.Role.CALL_HANDLER),
        idempotency_key=kwargs.pop("idempotency_key", uuid.uuid4().hex),
    )
    return made


def call_back(*, actor: User, team_: Team, **kwargs):
    """A call-back request on ``team_``'s list, through the real service."""
    kwargs.setdefault("caller_name", "Iris Bell")
    kwargs.setdefault("caller_phone", "0113 496 0001")
    kwargs.setdefault("reason", "Wants to speak to the nurse about her dressings")
    kwargs.setdefault("idempotency_key", uuid.uuid4().hex)
    made, _ = referral_services.call_back_request_create(actor=actor, team=team_, **kwargs)
    return made


def safety_alert(*, patient_: Patient, actor: User, category: str = "risk_to_staff", **kwargs):
    """A safety alert raised through the real service, due for review in 90 days."""
    kwargs.setdefault("detail", "Son at home can be verbally aggressive: visit in pairs")
    kwargs.setdefault("review_on", timezone.localdate() + timedelta(days=90))
    return referral_services.safety_alert_raise(actor=actor, patient=patient_, category=category, **kwargs)


def patient_phone(*, patient_: Patient, actor: User, number: str = "0113 496 0000", **kwargs):
    return referral_services.patient_phone_add(actor=actor, patient=patient_, number=number, **kwargs)


def support_person(*, patient_: Patient, actor: User, name: str = "Ann Smith", **kwargs):
    kwargs.setdefault("is_next_of_kin", True)
    return referral_services.patient_support_person_add(actor=actor, patient=patient_, name=name, **kwargs)


def transport_booking(*, actor: User, patient_: Patient | None = None, **kwargs):
    from datetime import timedelta

    kwargs.setdefault("pickup_from", "12 Chapel Row, Northfield")
    kwargs.setdefault("destination", "Outpatients, Northfield General Hospital")
    kwargs.setdefault("pickup_at", timezone.now() + timedelta(hours=3))
    kwargs.setdefault("mobility", "wheelchair")
    kwargs.setdefault("idempotency_key", uuid.uuid4().hex)
    made, _ = referral_services.transport_booking_create(
        actor=actor, patient=patient_ or patient(), **kwargs
    )
    return made


# The front desk: contacts and referrers.


def contact(*, actor: User, **kwargs):
    """A contact logged through the real service."""
    kwargs.setdefault("caller_type", Referral.ReferrerType.PATIENT)
    kwargs.setdefault("caller_name", "Pat Caller")
    kwargs.setdefault("reason", "Feeling low and alone this evening")
    kwargs.setdefault("outcome", "advice_given")
    kwargs.setdefault("idempotency_key", uuid.uuid4().hex)
    made, _ = referral_services.contact_log(actor=actor, **kwargs)
    return made


def ward_team(**kwargs) -> Team:
    """A hospital ward as a referrer: a team of the acute trust (the TOC register's wards are ``ward``)."""
    n = next(_counter)
    kwargs.setdefault("name", f"Ward {n}")
    if "organisation" not in kwargs:
        kwargs["organisation"] = organisation(kind=Organisation.Kind.ACUTE_TRUST)
    return team(**kwargs)


# --- Escalations -------------------------------------------------------------------------------

def ladder(queue: DutyQueue | None = None, rungs=(), warn_at_percent: int = 75, **kwargs):
    """An escalation ladder; ``rungs`` are (name, minutes after the previous, people, named users)."""
    from escalations.models import EscalationLadder, EscalationRung

    kwargs.setdefault("name", f"Ladder for {queue}" if queue else "Default ladder")
    made = EscalationLadder.objects.create(queue=queue, warn_at_percent=warn_at_percent, **kwargs)
    for position, (name, minutes, people, named) in enumerate(rungs, start=1):
        rung = EscalationRung.objects.create(
            ladder=made, position=position, name=name, minutes_after_previous=minutes, people=people
        )
        rung.named_users.set(named)


# --- Reporting: dashboard figures, joint data set, FHIR ---


def referral_at(
    *,
    need: NeedCategory,
    actor: User,
    received_at,
    triaged_by: User | None = None,
    minutes_to_triage: float | None = None,
    priority: str = "routine",
    outcome: str = "accept",
    **kwargs,
) -> Referral:
    """A referral received at a given moment; triaged ``minutes_to_triage`` after routing when given.

    It goes through the real services (intake, claim, decision); only the decision's time is set
    afterwards, since the service stamps it with the clock.
    """
    from datetime import timedelta

    from triage import services as triage_services
    from triage.models import QueueItem, TriageDecision

    made = referral(need=need, actor=actor, received_at=received_at, **kwargs)
    if minutes_to_triage is not None:
        item = made.queue_item
        triage_services.queue_item_claim(item=item, actor=triaged_by)
        # Each outcome asks for what it needs and nothing more.
        needs = {"refer_on": {"referred_to": "District nursing"}, "signpost": {"signposted_to": "Age UK Northfield"}}
        triage_services.triage_decision_record(
            item=item, actor=triaged_by, priority=priority, outcome=outcome, clinical_note="Triaged for a test",
            **needs.get(outcome, {}),
        )
        decided_at = item.routed_at + timedelta(minutes=minutes_to_triage)
        TriageDecision.objects.filter(queue_item=item).update(decided_at=decided_at)
        if outcome != "transfer":
            QueueItem.objects.filter(pk=item.pk).update(triaged_at=decided_at)
    return made


# --- Directory of services -------------------------------------------------------------------


def directory_term(**kwargs):
    from directory.models import TaxonomyTerm

    n = next(_counter)
    kwargs.setdefault("code", f"term-{n}")
    kwargs.setdefault("name", f"Term {n}")
    return TaxonomyTerm.objects.create(**kwargs)


def directory_organization(**kwargs):
    from directory import services as directory_services

    n = next(_counter)
    kwargs.setdefault("name", f"Directory organisation {n}")
    kwargs.setdefault("description", "A local provider")
    return directory_services.organization_create(actor=kwargs.pop("actor", None), **kwargs)


def directory_service(
    *,
    terms=(),
    districts: str = "NF1 NF2",
    area_name: str = "Northfield",
    days=("MO", "TU", "WE", "TH", "FR"),
    opens_at=None,
    closes_at=None,
    actor=None,
    **kwargs,
):
    """An active service made through the real service layer, so its search text is kept."""
    from datetime import time

    from directory import services as directory_services

    n = next(_counter)
    kwargs.setdefault("name", f"Service {n}")
    kwargs.setdefault("description", "Help for people who need it")
    kwargs.setdefault("organization", directory_organization())
    kwargs.setdefault("referral_method", "Phone us")
    return directory_services.service_create(
        actor=actor,
        terms=terms,
        area=directory_services.Area(area_name, districts),
        opening_times=directory_services.OpeningTimes(
            list(days), opens_at if opens_at is not None else time(9), closes_at if closes_at is not None else time(17)
        ),
        **kwargs,
    )


# --- Transfer of Care (discharge) ---------------------------------------------------------------


def ward(**kwargs):
    from discharge.models import Ward

    n = next(_counter)
    kwargs.setdefault("code", f"ward-{n}")
    kwargs.setdefault("name", f"Ward {n}")
    if "organisation" not in kwargs:
        kwargs["organisation"] = organisation(name=f"Acute trust {n}", kind=Organisation.Kind.ACUTE_TRUST)
    return Ward.objects.create(**kwargs)


def pathway_service(**kwargs):
    from discharge.models import PathwayService

    n = next(_counter)
    kwargs.setdefault("name", f"Intermediate care beds {n}")
    kwargs.setdefault("pathway", 2)
    kwargs.setdefault("capacity", 52)
    return PathwayService.objects.create(**kwargs)


def register_entry(*, actor: User, ward_=None, patient_: Patient | None = None, **kwargs):
    """An MFFD patient on the register, through the real service (plan clock and all)."""
    from datetime import timedelta

    from discharge import services as discharge_services

    today = timezone.localdate()
    kwargs.setdefault("admitted_on", today - timedelta(days=10))
    kwargs.setdefault("referred_on", kwargs["admitted_on"])
    kwargs.setdefault("fit_on", today - timedelta(days=3))
    kwargs.setdefault("consultant", "Dr Evans")
    kwargs.setdefault("source", "ward")
    kwargs.setdefault("idempotency_key", uuid.uuid4().hex)
    made, _ = discharge_services.entry_register(
        actor=actor, patient=patient_ or patient(), ward=ward_ or ward(), **kwargs
    )
    return made


def delay_reasons_loaded() -> None:
    """Both national reason lists, as the data migration loads them. Needed again after a
    transactional test (race tests, browser tests) has flushed the tables."""
    import importlib

    from django.apps import apps

    importlib.import_module("discharge.migrations.0002_delay_reasons_and_settings").load(apps, None)


def delay_reason(code: str = "G", code_set: str = "dtoc"):
    """One of the national reasons the data migration loaded."""
    from discharge.models import DelayReason

    found = DelayReason.objects.filter(code_set=code_set, code=code).first()
    if found is None:
        delay_reasons_loaded()
        found = DelayReason.objects.get(code_set=code_set, code=code)
    return found


# --- Duty triage and IRR (issue 5) ---


RISK_NONE = {"risk_to_self": "none", "risk_to_others": "none", "risk_from_others": "none"}


def standard_shifts() -> None:
    """The standard shifts again, after a transactional test has emptied the tables."""
    from triage import services as triage_services

    triage_services.shifts_standard_ensure()


def shift(code: str):
    """One of the standard shifts (day, evening, night, weekend)."""
    from triage.models import Shift

    standard_shifts()
    return Shift.objects.get(code=code)


def rota_entry(*, queue: DutyQueue, shift_code: str, day, clinician: User, is_lead: bool = False):
    from triage.models import RotaEntry

    return RotaEntry.objects.create(
        queue=queue, shift=shift(shift_code), date=day, clinician=clinician, is_lead=is_lead, set_by=clinician
    )


def response_target(*, queue: DutyQueue, priority: str, minutes: int):
    from triage.models import ResponseTarget

    return ResponseTarget.objects.create(queue=queue, priority=priority, response_minutes=minutes)


def triaged(*, referral_: Referral, clinician: User, **kwargs):
    """Claim and triage through the real services; an IRR episode to start unless told otherwise."""
    from triage import services as triage_services

    triage_services.queue_item_claim(item=referral_.queue_item, actor=clinician)
    kwargs.setdefault("priority", "urgent")
    kwargs.setdefault("outcome", "accept")
    kwargs.setdefault("clinical_note", "Visit today")
    return triage_services.triage_decision_record(item=referral_.queue_item, actor=clinician, **kwargs)


def episode(*, decision, lead: User, team: Team | None = None, **kwargs):
    from datetime import timedelta

    from irr import services as irr_services

    kwargs.setdefault("planned_end", timezone.localdate() + timedelta(weeks=2))
    kwargs.setdefault("goals", "Stay safely at home")
    kwargs.setdefault("lead_discipline", "nurse")  # from a decision, the lead joins as its first member
    return irr_services.episode_open(
        patient=decision.queue_item.referral.patient, lead_professional=lead, actor=lead,
        source_decision=decision, team=team, **kwargs,
    )


def member(*, episode_, discipline: str = "nurse", name: str = "", **kwargs):
    from irr.models import EpisodeMember

    kwargs.setdefault("organisation", episode_.team.organisation)
    return EpisodeMember.objects.create(
        episode=episode_, name=name or f"Member {next(_counter)}", discipline=discipline, **kwargs
    )


def on_duty_now(*, queue: DutyQueue, clinician: User, is_lead: bool = False):
    """Put ``clinician`` on whichever shift is running now, whatever the time the tests run."""
    from triage.models import Shift, shift_start_days

    standard_shifts()
    at = timezone.now()
    for day in shift_start_days(at):
        for candidate in Shift.objects.all():
            start, end = candidate.window(day)
            if candidate.runs_on(day) and start <= at < end:
                return rota_entry(queue=queue, shift_code=candidate.code, day=day, clinician=clinician, is_lead=is_lead)
    raise AssertionError("the standard shifts cover every hour of the week")


# --- For the permission matrix: one call each to a service whose signature may change ----------


def claimed(*, item, actor: User):
    """``item`` claimed by ``actor`` through the real service."""
    from triage import services as triage_services

    return triage_services.queue_item_claim(item=item, actor=actor)


def visit(*, episode_, actor: User, staff=(), **kwargs):
    """A visit planned on ``episode_`` by ``actor``, through the real service."""
    from irr import services as irr_services

    kwargs.setdefault("kind", "planned")
    kwargs.setdefault("scheduled_for", timezone.now())
    return irr_services.visit_schedule(episode=episode_, staff=list(staff), actor=actor, **kwargs)


def delay(*, entry_, actor: User, reason=None, attribution: str = "nhs"):
    """A delay recorded on a register entry, from the day it was fit, through the real service."""
    from discharge import services as discharge_services

    return discharge_services.delay_record(
        entry=entry_, actor=actor, reason=reason or delay_reason(), attribution=attribution, starts_on=entry_.fit_on
    )

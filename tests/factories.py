"""Test data in one place. Plain functions: each makes one thing with sensible defaults."""

import itertools
import uuid
from datetime import date

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


def referral(*, need: NeedCategory, received_by: User, patient_: Patient | None = None, **kwargs) -> Referral:
    """A referral recorded through the real intake service, so it is routed like any other."""
    kwargs.setdefault("referrer_type", Referral.ReferrerType.GP)
    kwargs.setdefault("referrer_name", "Dr Jones")
    kwargs.setdefault("reason", "Fall at home, no injury, struggling to mobilise")
    kwargs.setdefault("idempotency_key", uuid.uuid4().hex)
    made, _ = referral_services.referral_create(
        received_by=received_by, patient=patient_ or patient(), need=need, **kwargs
    )
    return made


def now():
    return timezone.now()


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

    triage_services.queue_item_claim(item=referral_.queue_item, user=clinician)
    kwargs.setdefault("priority", "urgent")
    kwargs.setdefault("outcome", "accept")
    kwargs.setdefault("clinical_note", "Visit today")
    return triage_services.triage_decision_record(item=referral_.queue_item, user=clinician, **kwargs)


def episode(*, decision, lead: User, team: Team | None = None, **kwargs):
    from datetime import timedelta

    from irr import services as irr_services

    kwargs.setdefault("planned_end", timezone.localdate() + timedelta(weeks=2))
    kwargs.setdefault("goals", "Stay safely at home")
    return irr_services.episode_open(
        patient=decision.queue_item.referral.patient, lead_professional=lead, opened_by=lead,
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

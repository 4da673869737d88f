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


def register_entry(*, registered_by: User, ward_=None, patient_: Patient | None = None, **kwargs):
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
        registered_by=registered_by, patient=patient_ or patient(), ward=ward_ or ward(), **kwargs
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

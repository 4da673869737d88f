"""Whose record a person may open: anyone, or those they have a legitimate relationship with.

The front desk and oversight roles may open any patient (``PATIENT_VIEW_ALL``). The clinical
roles (duty clinicians, team leads, the IRR team, the Transfer of Care team) may open the record
of someone with a referral in one of their queues, an episode in their team, or a stay on the
register they work: a legitimate relationship. The core knows none of those models, so each app
registers, at start-up, its own ``related(user)``: its rows that user may see (through the app's
own ``scope_*``), each with a ``patient_id``. The object rule and the list scope below both ask
the same functions, so the patient page and the patient list agree.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q, QuerySet

from ccc.models import User
from ccc.permissions import Action, can, object_rule

# related(user) -> the app's rows ``user`` works with, each having a ``patient_id``.
Related = Callable[[User], QuerySet]

_relationships: dict[str, Related] = {}


def register_relationship(name: str, related: Related) -> None:
    """Say how ``name`` (an app) relates people to patients; one name, one function."""
    if _relationships.get(name, related) is not related:
        raise ValueError(f"A patient relationship named {name!r} is already registered")
    _relationships[name] = related


def relationships() -> dict[str, Related]:
    return dict(_relationships)


@object_rule(Action.PATIENT_VIEW)
def patient_related(user: User, patient: Any) -> bool:
    """Any patient for those who may see all; otherwise one with a record in the person's work.

    At most one small EXISTS query per registered app, stopping at the first that answers yes.
    """
    if can(user, Action.PATIENT_VIEW_ALL):
        return True
    return any(related(user).filter(patient_id=patient.pk).exists() for related in _relationships.values())


def scope_patients(user: User, queryset: QuerySet) -> QuerySet:
    """Narrow a patient list the way ``patient_related`` decides one patient: one query."""
    if not can(user, Action.PATIENT_VIEW):
        return queryset.none()
    if can(user, Action.PATIENT_VIEW_ALL):
        return queryset
    mine = Q()
    for related in _relationships.values():
        mine |= Q(pk__in=related(user).values("patient_id"))
    return queryset.filter(mine) if mine else queryset.none()

"""Transfer of Care's list scope and the legitimate relationship it gives with a patient.

The Transfer of Care team works the whole register, so every register entry is theirs to see.
"""

from django.db.models import QuerySet

from ccc.models import User
from ccc.patient_access import register_relationship
from ccc.permissions import Action, can
from discharge.models import RegisterEntry


def scope_register_entries(user: User, queryset: QuerySet) -> QuerySet:
    return queryset if can(user, Action.TOC_VIEW) else queryset.none()


def register_entries_worked_by(user: User) -> QuerySet:
    """A legitimate relationship with a patient: a stay on the register the person works."""
    return scope_register_entries(user, RegisterEntry.objects.all())


register_relationship("discharge", register_entries_worked_by)

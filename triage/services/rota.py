"""The duty rota: who is on duty for a queue, shift by shift, and who leads it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ccc.audit import save_as
from ccc.models import User
from triage import selectors
from triage.models import DutyQueue, RotaEntry, Shift


def rota_entry_set(
    *, queue: DutyQueue, shift: Shift, date, clinician: User, set_by: User, is_lead: bool = False
) -> RotaEntry:
    """Put a clinician of the queue on duty for a shift; making one the duty lead stands the last one down."""
    from ccc.permissions import Action, can

    if not can(set_by, Action.ROTA_MANAGE, queue):
        raise PermissionDenied(f"Only a team lead of {queue} sets its rota")
    if not selectors.is_queue_clinician(queue=queue, user=clinician):
        raise ValidationError({"clinician": f"{clinician} is not a clinician of {queue}"})
    if not shift.runs_on(date):
        raise ValidationError({"date": f"The {shift.name.lower()} shift does not run on {date:%A}"})
    with transaction.atomic():
        # One lead per shift: lock the queue so two changes to its rota run one after the other
        # (locking the shift's rows alone would not stop two first entries).
        DutyQueue.objects.select_for_update().filter(pk=queue.pk).first()
        rota = list(RotaEntry.objects.filter(queue=queue, shift=shift, date=date))
        if is_lead:
            for other in rota:
                if other.is_lead and other.clinician_id != clinician.pk:
                    other.is_lead = False
                    save_as(other, set_by)
        entry = next((e for e in rota if e.clinician_id == clinician.pk), None) or RotaEntry(
            queue=queue, shift=shift, date=date, clinician=clinician, set_by=set_by
        )
        entry.is_lead, entry.set_by = is_lead, set_by
        save_as(entry, set_by)
    return entry


def shifts_standard_ensure() -> None:
    """Add any standard shift that is missing; never changes one an administrator has edited."""
    from triage.models import STANDARD_SHIFTS

    for code, name, starts, ends, days in STANDARD_SHIFTS:
        Shift.objects.get_or_create(code=code, defaults={"name": name, "starts": starts, "ends": ends, "days": days})


def rota_entry_remove(*, entry: RotaEntry, removed_by: User) -> None:
    """Take someone off a shift. The rota is planning, not a clinical record: its history keeps it."""
    entry._history_user = removed_by
    entry.delete()

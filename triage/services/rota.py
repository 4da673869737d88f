"""The duty rota: who is on duty for a queue, shift by shift, and who leads it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ccc.audit import save_as
from ccc.models import User
from triage.models import DutyQueue, RotaEntry, Shift
from triage.permissions import is_queue_clinician


def rota_entry_set(
    *, queue: DutyQueue, shift: Shift, date, clinician: User, actor: User, is_lead: bool = False
) -> RotaEntry:
    """Put a clinician of the queue on duty for a shift; making one the duty lead stands the last one down.

    Who may keep the rota is ``Action.ROTA_MANAGE``, asked by the page before calling this.
    """
    if not is_queue_clinician(queue=queue, user=clinician):
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
                    save_as(other, actor)
        entry = next((e for e in rota if e.clinician_id == clinician.pk), None) or RotaEntry(
            queue=queue, shift=shift, date=date, clinician=clinician, set_by=actor
        )
        entry.is_lead, entry.set_by = is_lead, actor
        save_as(entry, actor)
    return entry


def shifts_standard_ensure() -> None:
    """Add any standard shift that is missing; never changes one an administrator has edited."""
    from triage.models import STANDARD_SHIFTS

    for code, name, starts, ends, days in STANDARD_SHIFTS:
        Shift.objects.get_or_create(code=code, defaults={"name": name, "starts": starts, "ends": ends, "days": days})


def rota_entry_remove(*, entry: RotaEntry, actor: User) -> None:
    """Take someone off a shift. The rota is planning, not a clinical record: its history keeps it."""
    entry._history_user = actor
    entry.delete()

"""The discharge plan (pathway) and the beds or slots of its services held for the patient."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import User
from discharge.models import CapacityBooking, PathwayChange, PathwayService, RegisterEntry
from discharge.services.register import entry_locked_for, plan_clock_stop


def pathway_set(*, entry: RegisterEntry, actor: User, pathway: int, reason: str = "") -> RegisterEntry:
    """Set the discharge pathway (the plan). Changing it needs a reason and keeps history; a bed
    or slot held on the old pathway's service is released."""
    with transaction.atomic():
        locked = entry_locked_for(entry, "set_pathway")
        if locked.pathway == pathway:
            raise ValidationError({"pathway": f"{locked.patient} is already on {locked.get_pathway_display()}"})
        if locked.pathway is not None and not reason.strip():
            raise ValidationError({"reason": "Enter the reason for changing the pathway"})
        now = timezone.now()
        change = PathwayChange(
            entry=locked,
            from_pathway=locked.pathway,
            to_pathway=pathway,
            reason=reason.strip() or "Plan agreed",
            changed_by=actor,
            changed_at=now,
        )
        save_as(change, actor)
        for booking in CapacityBooking.objects.select_for_update().filter(
            entry=locked, status__in=CapacityBooking.HOLDING
        ):
            _booking_release(booking, actor, now)
        first_plan = locked.plan_set_at is None
        locked.pathway = pathway
        if first_plan:
            locked.plan_set_at = now
        save_as(locked, actor)
        if first_plan:
            plan_clock_stop(entry=locked, actor=actor)
    return locked




def booking_reserve(*, entry: RegisterEntry, service: PathwayService, actor: User) -> CapacityBooking:
    """Hold a bed or slot for the patient. The service row is locked while its free places are
    counted, so two people cannot both take the last one."""
    with transaction.atomic():
        locked_entry = entry_locked_for(entry, "reserve")
        if locked_entry.pathway != service.pathway:
            raise ValidationError(
                {"service": f"{service} is for pathway {service.pathway}: set the patient's pathway first"}
            )
        locked = PathwayService.objects.select_for_update().get(pk=service.pk)
        if not locked.is_active:
            raise ValidationError({"service": f"{locked} is not taking patients"})
        if CapacityBooking.objects.filter(entry=locked_entry, status__in=CapacityBooking.HOLDING).exists():
            raise Conflict(f"{locked_entry.patient} already has a bed or slot reserved")
        held = CapacityBooking.objects.filter(service=locked, status__in=CapacityBooking.HOLDING).count()
        if held + locked.occupied_by_others >= locked.capacity:
            raise Conflict(f"{locked} has no free {locked.get_unit_display().lower()} today: someone took the last one")
        booking = CapacityBooking(service=locked, entry=locked_entry, reserved_by=actor, reserved_at=timezone.now())
        save_as(booking, actor)
    return booking


def booking_release(*, booking: CapacityBooking, actor: User) -> CapacityBooking:
    """Give a bed or slot back (the plan changed, or the person has left the service)."""
    with transaction.atomic():
        locked = CapacityBooking.objects.select_for_update().get(pk=booking.pk)
        _booking_release(locked, actor, timezone.now())
    return locked


def booking_occupy(*, booking: CapacityBooking, actor: User) -> CapacityBooking:
    """The patient has been discharged into the bed or slot reserved for them."""
    with transaction.atomic():
        locked = CapacityBooking.objects.select_for_update().get(pk=booking.pk)
        _booking_move(locked, "occupy", actor)
    return locked


def _booking_move(booking: CapacityBooking, move: str, actor: User) -> None:
    booking.status = CapacityBooking.TRANSITIONS.move(
        move, booking.status, lambda: f"This booking is already {booking.get_status_display().lower()}"
    )
    save_as(booking, actor)


def _booking_release(booking: CapacityBooking, actor: User, at: datetime) -> None:
    booking.released_at = at
    _booking_move(booking, "release", actor)



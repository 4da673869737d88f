"""Patient transport: requested, booked, completed or cancelled, each move by one service."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ccc.audit import save_as
from ccc.idempotency import submitted_before
from ccc.models import User
from escalations import services as escalation_services
from referrals.models import Patient, TransportBooking
from referrals.services.clocks import TRANSPORT_CLOCK, TRANSPORT_CONFIRM_BEFORE_PICKUP, front_desk_clock_start


def transport_booking_create(
    *,
    actor: User,
    idempotency_key: str,
    patient: Patient,
    pickup_from: str,
    destination: str,
    pickup_at: datetime,
    mobility: str,
    escort_needed: bool = False,
    notes: str = "",
    request_fingerprint: str = "",
) -> tuple[TransportBooking, bool]:
    """Request transport for a patient. A repeated submission returns the first booking (over the
    API, only for the same body: ``request_fingerprint``)."""
    existing = _booking_for_key(idempotency_key, actor, request_fingerprint)
    if existing:
        return existing, False
    if pickup_at < timezone.now() - timedelta(minutes=5):
        raise ValidationError({"pickup_at": "Enter a pick-up time from now on"})
    now = timezone.now()
    booking = TransportBooking(
        patient=patient,
        pickup_from=pickup_from.strip(),
        destination=destination.strip(),
        pickup_at=pickup_at,
        mobility=mobility,
        escort_needed=escort_needed,
        notes=notes.strip(),
        requested_by=actor,
        requested_at=now,
        status_changed_by=actor,
        status_changed_at=now,
        idempotency_key=idempotency_key,
        request_fingerprint=request_fingerprint,
    )
    if booking.pickup_from and booking.pickup_from.lower() == booking.destination.lower():
        raise ValidationError({"destination": "Enter a destination different from the pick-up address"})
    try:
        with transaction.atomic():
            save_as(booking, actor)
            front_desk_clock_start(
                booking, TRANSPORT_CLOCK, due_at=transport_confirm_by(booking), started_at=now, actor=actor,
                label=f"Transport for {patient} to be booked",
                url=reverse("referrals:transport_detail", args=[booking.public_id]),
            )
    except (IntegrityError, ValidationError):
        # The same submission arrived twice at once: the unique key let one through.
        existing = _booking_for_key(idempotency_key, actor, request_fingerprint)
        if existing is None:
            raise
        return existing, False
    return booking, True


def _booking_for_key(idempotency_key: str, actor: User, fingerprint: str) -> TransportBooking | None:
    return submitted_before(
        TransportBooking, key=idempotency_key, actor=actor, actor_field="requested_by", noun="booking",
        fingerprint=fingerprint,
    )


def transport_confirm_by(booking: TransportBooking) -> datetime:
    """When a request should be booked by: two hours before pick-up, or the pick-up time when
    the request itself came later than that."""
    confirm_by = booking.pickup_at - TRANSPORT_CONFIRM_BEFORE_PICKUP
    return confirm_by if confirm_by > booking.requested_at else booking.pickup_at


def _transport_move(booking: TransportBooking, actor: User, move: str, cancel_reason: str = "") -> TransportBooking:
    """Make ``move`` of TransportBooking.TRANSITIONS; the table alone decides whether it is allowed."""
    to = TransportBooking.TRANSITIONS.moves[move].target
    with transaction.atomic():
        locked = TransportBooking.objects.select_for_update().get(pk=booking.pk)
        if locked.status == to and locked.status_changed_by_id == actor.pk:
            return locked  # a double click: already done, by you
        locked.status = TransportBooking.TRANSITIONS.move(
            move,
            locked.status,
            lambda: (
                f"This booking is {locked.get_status_display().lower()}: it cannot be marked "
                f"{TransportBooking.Status(to).label.lower()} (changed by {locked.status_changed_by} at "
                f"{date_format(timezone.localtime(locked.status_changed_at), 'j M H:i')})"
            ),
        )
        locked.cancel_reason = cancel_reason.strip()
        locked.status_changed_by = actor
        locked.status_changed_at = timezone.now()
        save_as(locked, actor)
        if to in (TransportBooking.Status.BOOKED, TransportBooking.Status.CANCELLED):
            escalation_services.clock_stop(
                subject=locked, kind=TRANSPORT_CLOCK, actor=actor, reason=locked.get_status_display().lower()
            )
    return locked


def transport_booking_book(*, booking: TransportBooking, actor: User) -> TransportBooking:
    """The transport provider has confirmed the booking."""
    return _transport_move(booking, actor, "book")


def transport_booking_complete(*, booking: TransportBooking, actor: User) -> TransportBooking:
    return _transport_move(booking, actor, "complete")


def transport_booking_cancel(*, booking: TransportBooking, actor: User, reason: str) -> TransportBooking:
    if not reason.strip():
        raise ValidationError({"cancel_reason": "Enter why the transport is cancelled"})
    return _transport_move(booking, actor, "cancel", cancel_reason=reason)


def transport_booking_move(*, booking: TransportBooking, actor: User, to: str, cancel_reason: str = "") -> TransportBooking:
    """The transition service for ``to``, for forms and the API that take the new status as data."""
    if to == TransportBooking.Status.CANCELLED:
        return transport_booking_cancel(booking=booking, actor=actor, reason=cancel_reason)
    moves = {TransportBooking.Status.BOOKED: transport_booking_book, TransportBooking.Status.COMPLETED: transport_booking_complete}
    if to not in moves:
        raise ValidationError({"status": "Choose booked, completed or cancelled"})
    return moves[to](booking=booking, actor=actor)

"""Transport bookings from today on, and one booking."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, can
from referrals.models import TransportBooking
from referrals.selectors.days import start_of_day


def transport_bookings(*, fetched_by: User) -> QuerySet[TransportBooking]:
    if not can(fetched_by, Action.TRANSPORT_VIEW):
        return TransportBooking.objects.none()
    return TransportBooking.objects.select_related("patient", "status_changed_by").order_by("pickup_at", "pk")


def transport_bookings_from_today(*, fetched_by: User) -> QuerySet[TransportBooking]:
    """Today's and upcoming bookings, the soonest pick-up first."""
    start_of_today = start_of_day(timezone.localdate())
    return transport_bookings(fetched_by=fetched_by).filter(pickup_at__gte=start_of_today)


def transport_booking_get(*, public_id, fetched_by: User) -> TransportBooking:
    return get_object_or_404(transport_bookings(fetched_by=fetched_by), public_id=public_id)

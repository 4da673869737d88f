"""The front desk's own sections of the patient page: follow-up calls due and upcoming transport."""

from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, can
from referrals.models import FollowUpCall, Patient, TransportBooking
from referrals.patient_page import register_section
from referrals.selectors.days import start_of_day
from referrals.selectors.follow_up_calls import follow_up_calls
from referrals.selectors.transport import transport_bookings


def due_calls(patient: Patient, fetched_by: User) -> dict | None:
    if not can(fetched_by, Action.FOLLOW_UP_CALL_VIEW):
        return None
    calls = follow_up_calls(fetched_by=fetched_by, patient=patient).filter(status=FollowUpCall.Status.DUE)
    return {"calls": list(calls.order_by("due_at", "pk"))}


def upcoming_transport(patient: Patient, fetched_by: User) -> dict | None:
    if not can(fetched_by, Action.TRANSPORT_VIEW):
        return None
    # Upcoming: still to happen, from the start of today (a pick-up this morning is still on the page).
    bookings = transport_bookings(fetched_by=fetched_by).filter(
        patient=patient,
        pickup_at__gte=start_of_day(timezone.localdate()),
        status__in=[TransportBooking.Status.REQUESTED, TransportBooking.Status.BOOKED],
    )
    return {"bookings": list(bookings)}


register_section("follow_up_calls", 40, due_calls, "referrals/_patient_section_calls.html")
register_section("transport", 50, upcoming_transport, "referrals/_patient_section_transport.html")

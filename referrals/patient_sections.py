"""The front desk's own sections of the patient page (follow-up calls due and upcoming transport),
and its parts of the triage page's patient summary (previous referrals, recent contacts)."""

from datetime import timedelta

from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, can
from referrals.models import FollowUpCall, Patient, TransportBooking
from referrals.patient_page import register_section, register_summary_part
from referrals.selectors.contacts import current_contacts
from referrals.selectors.days import start_of_day
from referrals.selectors.follow_up_calls import follow_up_calls
from referrals.selectors.referrals import patient_referral_history
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


# The triage page's summary: whoever may open the patient's record sees these (patient_summary_parts).
RECENT_CONTACT_DAYS = 90
RECENT_CONTACT_LIMIT = 50  # a count shown as "50 or more" beyond this: the list stays bounded


def previous_referrals(patient: Patient, fetched_by: User) -> dict:
    return {"referrals": patient_referral_history(patient=patient, fetched_by=fetched_by)}


def recent_contacts(patient: Patient, fetched_by: User) -> dict:
    since = timezone.now() - timedelta(days=RECENT_CONTACT_DAYS)
    contacts = list(
        current_contacts().filter(patient=patient, started_at__gte=since).order_by("-started_at", "-pk")[:RECENT_CONTACT_LIMIT]
    )
    return {
        "contacts": contacts[:5],
        "count": len(contacts),
        "at_least": len(contacts) == RECENT_CONTACT_LIMIT,
        "days": RECENT_CONTACT_DAYS,
    }


register_summary_part("previous_referrals", 10, previous_referrals, "referrals/_summary_referrals.html")
register_summary_part("recent_contacts", 40, recent_contacts, "referrals/_summary_contacts.html")

"""One patient's page: everything the front desk knows about them."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, can
from referrals.models import (
    Contact,
    FollowUpCall,
    FrequentContactRule,
    Patient,
    Referral,
    TransportBooking,
)
from referrals.selectors.contacts import current_contacts, frequent_contact_rule
from referrals.selectors.days import start_of_day
from referrals.selectors.follow_up_calls import follow_up_calls
from referrals.selectors.patients import patient_get
from referrals.selectors.referrals import open_referrals
from referrals.selectors.transport import transport_bookings


@dataclass
class PatientSummary:
    """Everything the front desk knows about one patient, on one page.

    Other capabilities add their open work here as fields, so nobody asks the patient to repeat
    themselves. A section is None when the person asking may not see it (the page leaves it out),
    and an empty list when there is nothing to show.
    """

    patient: Patient
    open_referrals: list[Referral]
    contacts: list[Contact]
    recent_contact_count: int
    rule: FrequentContactRule
    episodes: list | None = None  # open IRR episodes (irr.selectors)
    toc_entries: list | None = None  # Transfer of Care register entries (discharge.selectors)
    due_calls: list[FollowUpCall] | None = None
    transport_bookings: list[TransportBooking] | None = None

    @property
    def is_frequent_contact(self) -> bool:
        return self.recent_contact_count >= self.rule.min_contacts


def patient_summary(*, public_id, fetched_by: User, contact_limit: int = 100) -> PatientSummary:
    """One patient's page: each section one query, and only the sections the person's role may see."""
    from discharge import selectors as discharge_selectors
    from irr import selectors as irr_selectors

    patient = patient_get(public_id=public_id, fetched_by=fetched_by)
    rule = frequent_contact_rule()
    contacts = current_contacts().filter(patient=patient).select_related("recorded_by", "referral", "patient")
    since = timezone.now() - timedelta(days=rule.within_days)
    start_of_today = start_of_day(timezone.localdate())
    return PatientSummary(
        patient=patient,
        open_referrals=list(open_referrals(patient=patient, fetched_by=fetched_by)),
        contacts=list(contacts[:contact_limit]) if can(fetched_by, Action.CONTACT_VIEW) else [],
        recent_contact_count=contacts.filter(started_at__gte=since).count(),
        rule=rule,
        episodes=list(irr_selectors.patient_open_episodes(patient=patient, fetched_by=fetched_by))
        if can(fetched_by, Action.EPISODE_VIEW)
        else None,
        toc_entries=list(discharge_selectors.patient_entries(patient=patient, fetched_by=fetched_by))
        if can(fetched_by, Action.TOC_VIEW)
        else None,
        due_calls=list(
            follow_up_calls(fetched_by=fetched_by, patient=patient)
            .filter(status=FollowUpCall.Status.DUE)
            .order_by("due_at", "pk")
        )
        if can(fetched_by, Action.FOLLOW_UP_CALL_VIEW)
        else None,
        # Upcoming: still to happen, from the start of today (a pick-up this morning is still on the page).
        transport_bookings=list(
            transport_bookings(fetched_by=fetched_by).filter(
                patient=patient,
                pickup_at__gte=start_of_today,
                status__in=[TransportBooking.Status.REQUESTED, TransportBooking.Status.BOOKED],
            )
        )
        if can(fetched_by, Action.TRANSPORT_VIEW)
        else None,
    )

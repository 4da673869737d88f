"""The front desk's reads, scoped to the person asking: one module per concern (patients, referrals,
contacts, follow-up calls, transport, the patient page, the dashboard's figures); re-exported here so
``from referrals import selectors`` finds every one."""

from referrals.selectors.contacts import (
    contact_current,
    contact_get,
    contact_list,
    contact_recent_counts,
    contact_related,
    contact_versions,
    current_contacts,
    frequent_contact_rule,
)
from referrals.selectors.figures import (
    contacts_by_outcome,
    contacts_by_source,
    contacts_per_day,
    contacts_per_hour_of_week,
    contacts_started,
    referrals_by_source,
    referrals_per_day,
    referrals_per_hour_of_week,
    referrals_received,
)
from referrals.selectors.follow_up_calls import follow_up_call_get, follow_up_calls, follow_up_work_list
from referrals.selectors.patient_details import (
    PatientDetails,
    active_alerts,
    alert_category_label,
    patient_details,
    patient_for_details,
    phone_to_call_first,
    with_patient_safety,
)
from referrals.selectors.patient_page import PatientSummary, patient_summary
from referrals.selectors.patients import patient_find, patient_get, patient_probable_duplicates, patient_search
from referrals.selectors.referrals import (
    OPEN_REFERRAL_STATUSES,
    open_referrals,
    open_referrals_in_queue,
    referral_get,
    referral_list,
    tracked_referral_get,
    tracked_referral_list,
)
from referrals.selectors.transport import transport_booking_get, transport_bookings, transport_bookings_from_today

__all__ = [
    "OPEN_REFERRAL_STATUSES",
    "PatientDetails",
    "PatientSummary",
    "active_alerts",
    "alert_category_label",
    "contact_current",
    "contact_get",
    "contact_list",
    "contact_recent_counts",
    "contact_related",
    "contact_versions",
    "contacts_by_outcome",
    "contacts_by_source",
    "contacts_per_day",
    "contacts_per_hour_of_week",
    "contacts_started",
    "current_contacts",
    "follow_up_call_get",
    "follow_up_calls",
    "follow_up_work_list",
    "frequent_contact_rule",
    "open_referrals",
    "open_referrals_in_queue",
    "patient_details",
    "patient_find",
    "patient_for_details",
    "patient_get",
    "patient_probable_duplicates",
    "patient_search",
    "patient_summary",
    "phone_to_call_first",
    "referral_get",
    "referral_list",
    "referrals_by_source",
    "referrals_per_day",
    "referrals_per_hour_of_week",
    "referrals_received",
    "tracked_referral_get",
    "tracked_referral_list",
    "transport_booking_get",
    "transport_bookings",
    "transport_bookings_from_today",
    "with_patient_safety",
]

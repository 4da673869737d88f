"""The front desk's writes, one module per concern (patients, referrals, contacts, follow-up calls,
transport); re-exported here so ``from referrals import services`` finds every one."""

from referrals.services.call_backs import CALL_BACK_CLOCK, call_back_request_create, call_back_request_record
from referrals.services.clocks import FOLLOW_UP_CALL_CLOCK, TRANSPORT_CLOCK, TRANSPORT_CONFIRM_BEFORE_PICKUP
from referrals.services.community_nursing import locality_team_for
from referrals.services.contacts import (
    CONTACT_COPIED_FIELDS,
    contact_amend,
    contact_log,
    contact_signpost,
    referral_create_from_contact,
    signposting_apply,
)
from referrals.services.follow_up_calls import (
    follow_up_call_record_outcome,
    follow_up_call_schedule,
    follow_up_calls_schedule,
)
from referrals.services.identity import PatientIdentityMismatch, patient_known_by_number
from referrals.services.patient_details import (
    patient_details_update,
    patient_phone_add,
    patient_phone_end,
    patient_support_person_add,
    patient_support_person_end,
    safety_alert_end,
    safety_alert_raise,
)
from referrals.services.patient_merge import patient_merge, patient_unmerge
from referrals.services.patients import DUPLICATE_NHS_NUMBER, ProbableDuplicatePatient, patient_create
from referrals.services.referrals import referral_create
from referrals.services.sending import PatientDetails, referral_send
from referrals.services.transport import (
    transport_booking_book,
    transport_booking_cancel,
    transport_booking_complete,
    transport_booking_create,
    transport_booking_move,
    transport_confirm_by,
)

__all__ = [
    "CALL_BACK_CLOCK",
    "call_back_request_create",
    "call_back_request_record",
    "CONTACT_COPIED_FIELDS",
    "DUPLICATE_NHS_NUMBER",
    "FOLLOW_UP_CALL_CLOCK",
    "TRANSPORT_CLOCK",
    "TRANSPORT_CONFIRM_BEFORE_PICKUP",
    "PatientDetails",
    "PatientIdentityMismatch",
    "ProbableDuplicatePatient",
    "contact_amend",
    "contact_log",
    "contact_signpost",
    "follow_up_call_record_outcome",
    "follow_up_call_schedule",
    "follow_up_calls_schedule",
    "locality_team_for",
    "patient_create",
    "patient_details_update",
    "patient_merge",
    "patient_phone_add",
    "patient_phone_end",
    "patient_support_person_add",
    "patient_support_person_end",
    "patient_unmerge",
    "patient_known_by_number",
    "referral_create",
    "referral_create_from_contact",
    "referral_send",
    "safety_alert_end",
    "safety_alert_raise",
    "signposting_apply",
    "transport_booking_book",
    "transport_booking_cancel",
    "transport_booking_complete",
    "transport_booking_create",
    "transport_booking_move",
    "transport_confirm_by",
]

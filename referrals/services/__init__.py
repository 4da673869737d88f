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
    "ProbableDuplicatePatient",
    "contact_amend",
    "contact_log",
    "contact_signpost",
    "follow_up_call_record_outcome",
    "follow_up_call_schedule",
    "follow_up_calls_schedule",
    "locality_team_for",
    "patient_create",
    "referral_create",
    "referral_create_from_contact",
    "referral_send",
    "signposting_apply",
    "transport_booking_book",
    "transport_booking_cancel",
    "transport_booking_complete",
    "transport_booking_create",
    "transport_booking_move",
    "transport_confirm_by",
]

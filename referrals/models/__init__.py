"""The front desk's models, one module per concern; every model is re-exported here so the app
label, ``referrals.models.X`` imports and the migrations stay as they were."""

from referrals.models.call_backs import CallBackRequest
from referrals.models.community_nursing import CommunityNursingSettings, PracticeLocality
from referrals.models.contacts import Contact, FrequentContactRule
from referrals.models.follow_up_calls import FollowUpCall, FollowUpPolicy, validate_day_list
from referrals.models.patient_details import PatientMerge, PatientPhone, PatientSupportPerson, SafetyAlert
from referrals.models.patients import CommunicationNeed, Patient
from referrals.models.referrals import NeedCategory, Referral, TimelineEvent
from referrals.models.transport import TransportBooking

__all__ = [
    "CallBackRequest",
    "CommunicationNeed",
    "CommunityNursingSettings",
    "Contact",
    "FollowUpCall",
    "FollowUpPolicy",
    "FrequentContactRule",
    "NeedCategory",
    "Patient",
    "PatientMerge",
    "PatientPhone",
    "PatientSupportPerson",
    "PracticeLocality",
    "Referral",
    "SafetyAlert",
    "TimelineEvent",
    "TransportBooking",
    "validate_day_list",
]

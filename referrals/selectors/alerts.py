"""Safety alerts on a patient, as other apps need to ask about them."""

from referrals.models import Patient, SafetyAlert


def patient_has_risk_to_staff_alert(patient: Patient) -> bool:
    """Whether the patient has a safety alert in force warning of risk to staff who visit.

    IRR's pairs rule asks this before every visit (and the episode pages show it): one query.
    """
    return patient.has_active_alert(SafetyAlert.Category.RISK_TO_STAFF)

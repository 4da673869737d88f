"""Safety alerts on a patient, as other apps need to ask about them."""

from referrals.models import Patient


def patient_has_risk_to_staff_alert(patient: Patient) -> bool:
    """Whether the patient has an active safety alert warning of risk to staff who visit.

    IRR's pairs rule asks this before every visit. Until safety alerts are recorded on the
    patient there is none to find, so the answer is no.
    """
    return False

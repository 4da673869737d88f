"""Safety alerts on a patient, as other apps need to ask about them."""

from django.db.models import Exists, OuterRef, QuerySet

from referrals.models import Patient, SafetyAlert


def patient_has_risk_to_staff_alert(patient: Patient) -> bool:
    """Whether the patient has a safety alert in force warning of risk to staff who visit.

    IRR's pairs rule asks this before every visit (and the episode pages show it): one query.
    """
    return patient.has_active_alert(SafetyAlert.Category.RISK_TO_STAFF)


def with_risk_to_staff_alert(queryset: QuerySet, patient_field: str = "patient") -> QuerySet:
    """``queryset`` with ``risk_to_staff_alert`` on each row, in the same query: a list that asks
    the pairs rule of every row (the IRR episode list) asks no more queries."""
    alerts = SafetyAlert.objects.filter(
        patient=OuterRef(patient_field), category=SafetyAlert.Category.RISK_TO_STAFF, ended_at__isnull=True
    )
    return queryset.annotate(risk_to_staff_alert=Exists(alerts))

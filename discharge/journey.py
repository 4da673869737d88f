"""The hospital steps of a referral's journey, for its referrer: admitted to hospital after the
referral, discharged after it (registered with ``referrals.journey``). From the Transfer of Care
register, the only hospital record here: a stay shows once the patient is on it."""

from django.utils import timezone

from discharge.models import RegisterEntry
from referrals.journey import JourneyStep, register_journey_reader


def admitted_label(ward) -> str:
    return f"Admitted to hospital ({ward})"


DISCHARGED = "Discharged from hospital"


@register_journey_reader
def hospital_steps(referrals) -> dict[int, list[JourneyStep]]:
    received = {referral.pk: timezone.localdate(referral.received_at) for referral in referrals}
    by_patient: dict[int, list[int]] = {}
    for referral in referrals:
        by_patient.setdefault(referral.patient_id, []).append(referral.pk)
    stays = RegisterEntry.objects.filter(patient_id__in=by_patient).filter(
        # Only stays that reach past the earliest referral: the admission or the discharge after it.
        discharged_on__gte=min(received.values())
    ) | RegisterEntry.objects.filter(patient_id__in=by_patient, discharged_on__isnull=True)
    steps: dict[int, list[JourneyStep]] = {}
    for stay in stays.select_related("ward").order_by("admitted_on", "pk"):
        for pk in by_patient[stay.patient_id]:
            if stay.admitted_on >= received[pk]:
                steps.setdefault(pk, []).append(JourneyStep(stay.admitted_on, admitted_label(stay.ward)))
            if stay.discharged_on and stay.discharged_on >= received[pk]:
                steps.setdefault(pk, []).append(JourneyStep(stay.discharged_on, DISCHARGED))
    return steps

"""The one trusted assessment of a patient, recorded once and accepted by the receiving service."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.exceptions import Conflict
from ccc.models import Organisation, User
from discharge.models import PathwayService, RegisterEntry, TrustedAssessment
from discharge.services.register import entry_locked_for


def trusted_assessment_record(
    *,
    entry: RegisterEntry,
    actor: User,
    assessor_name: str,
    assessor_organisation: Organisation,
    assessed_on: date,
    summary: str,
) -> TrustedAssessment:
    """Record the one trusted assessment; the receiving service accepts it rather than re-assessing."""
    with transaction.atomic():
        locked = entry_locked_for(entry, "record_assessment")
        if TrustedAssessment.objects.filter(entry=locked).exists():
            raise Conflict("A trusted assessment is already recorded for this patient: the service accepts that one")
        if assessed_on > timezone.localdate():
            raise ValidationError({"assessed_on": "This date cannot be in the future"})
        assessment = TrustedAssessment(
            entry=locked,
            assessor_name=assessor_name.strip(),
            assessor_organisation=assessor_organisation,
            assessed_on=assessed_on,
            summary=summary.strip(),
            recorded_by=actor,
        )
        save_as(assessment, actor)
    return assessment


def trusted_assessment_accept(*, assessment: TrustedAssessment, actor: User, service: PathwayService) -> TrustedAssessment:
    with transaction.atomic():
        locked = TrustedAssessment.objects.select_for_update().select_related("entry").get(pk=assessment.pk)
        TrustedAssessment.TRANSITIONS.move("accept", locked.status, lambda: f"Already accepted by {locked.accepted_by_service}")
        if locked.entry.pathway != service.pathway:
            raise ValidationError({"service": f"{service} is not a service of this patient's pathway"})
        locked.accepted_by_service = service
        locked.accepted_by = actor
        locked.accepted_at = timezone.now()
        save_as(locked, actor)
    return locked



"""Community nursing single point of access: the locality team a referral is allocated to."""

from django.core.exceptions import ValidationError

from ccc.models import Team
from referrals.models import CommunityNursingSettings, Patient, PracticeLocality


def locality_team_for(patient: Patient) -> tuple[Team, str]:
    """The locality community nursing team for ``patient``'s registered practice, and a warning if
    it had to be the default team instead."""
    if patient.gp_practice_id:
        locality = PracticeLocality.objects.select_related("team").filter(practice_id=patient.gp_practice_id).first()
        if locality is not None:
            return locality.team, ""
        warning = f"{patient.gp_practice} has no locality team on record"
    else:
        warning = "The patient has no registered GP practice on record"
    settings_row = CommunityNursingSettings.objects.select_related("default_team").first()
    if settings_row is None:
        raise ValidationError(
            {"need": f"{warning} and no default community nursing team is set: ask an administrator"}
        )
    return settings_row.default_team, f"{warning}: allocated to the default team, {settings_row.default_team}"

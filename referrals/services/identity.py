"""The NHS number names one person: a known number typed with another name or date of birth stops
the user, since attaching the work to the wrong person is a clinical hazard."""

from datetime import date

from django.core.exceptions import ValidationError

from ccc.exceptions import Conflict
from ccc.nhs_number import normalise_nhs_number, validate_nhs_number
from referrals.models import Patient


def _person(given_name: str, family_name: str, date_of_birth: date | None) -> dict:
    return {
        "given_name": given_name.strip(),
        "family_name": family_name.strip(),
        "date_of_birth": date_of_birth.isoformat() if date_of_birth else None,
    }


class PatientIdentityMismatch(Conflict):
    """The NHS number is recorded for someone whose name or date of birth differs from what was given.

    ``known`` is the recorded patient, ``given`` the details typed; the page shows both side by side
    and the API answers 409 with both (``extra``).
    """

    code = "identity_mismatch"

    def __init__(self, known: Patient, given: dict, differences: list[str]):
        self.known = known
        self.given = given
        self.differences = differences
        self.extra = {
            "recorded_patient": {"public_id": str(known.public_id), "nhs_number": known.nhs_number,
                                 **_person(known.given_name, known.family_name, known.date_of_birth)},
            "given": given,
            "differences": differences,
        }
        super().__init__(
            f"NHS number {known.nhs_number_display} is recorded for {known.full_name}, born "
            f"{known.date_of_birth:%-d %B %Y}, whose {' and '.join(differences)} differ from those given. "
            "Check the number with the caller; continue only if this is the same person"
        )


def identity_differences(known: Patient, given: dict) -> list[str]:
    """What differs between the recorded patient and the details given (names ignore case and spaces)."""
    differences = []
    if " ".join(known.given_name.lower().split()) != " ".join(given["given_name"].lower().split()) or (
        " ".join(known.family_name.lower().split()) != " ".join(given["family_name"].lower().split())
    ):
        differences.append("name")
    if given["date_of_birth"] and given["date_of_birth"] != known.date_of_birth.isoformat():
        differences.append("date of birth")
    return differences


def patient_known_by_number(
    *, nhs_number: str, given_name: str, family_name: str, date_of_birth: date | None, confirmed_same_person: bool
) -> Patient | None:
    """The patient recorded with this NHS number (the kept record if it was merged), or None.

    Raises PatientIdentityMismatch when their name or date of birth differ from those given, unless
    the user has explicitly confirmed it is the same person.
    """
    nhs_number = normalise_nhs_number(nhs_number)
    if not nhs_number:
        return None
    try:
        validate_nhs_number(nhs_number)
    except ValidationError as error:
        raise ValidationError({"nhs_number": error}) from None
    known = Patient.objects.filter(nhs_number=nhs_number).select_related("merged_into").first()
    if known is None:
        return None
    given = _person(given_name, family_name, date_of_birth)
    differences = identity_differences(known, given)
    if differences and not confirmed_same_person:
        raise PatientIdentityMismatch(known, given, differences)
    return known.merged_into or known

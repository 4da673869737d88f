"""Recording a patient, once: the same NHS number is refused, a probable duplicate must be confirmed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ccc.audit import save_as
from ccc.models import Organisation, User
from ccc.nhs_number import normalise_nhs_number
from ccc.postcodes import normalise_postcode, validate_postcode
from referrals.models import Patient
from referrals.selectors import patient_probable_duplicates
from referrals.services.identity import PatientIdentityMismatch, identity_differences

DUPLICATE_NHS_NUMBER = "A patient with this NHS number is already recorded: find them instead"


class ProbableDuplicatePatient(ValidationError):
    """Someone with the same name, date of birth and postcode is already recorded.

    ``patients`` are the people it may be; the caller confirms "this is a different person" to go on.
    """

    def __init__(self, patients: list[Patient]):
        self.patients = patients
        super().__init__(
            {
                "confirmed_different": (
                    "A patient with the same name, date of birth and postcode is already recorded: "
                    "check it is not them, or confirm this is a different person"
                )
            }
        )


def patient_create(
    *,
    actor: User,
    given_name: str,
    family_name: str,
    date_of_birth: date,
    nhs_number: str = "",
    address: str = "",
    postcode: str = "",
    gp_practice: Organisation | None = None,
    confirmed_different: bool = False,
) -> Patient:
    if postcode.strip():
        try:
            validate_postcode(postcode)
        except ValidationError as error:
            raise ValidationError({"postcode": error}) from None
    patient = Patient(
        nhs_number=normalise_nhs_number(nhs_number),
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        date_of_birth=date_of_birth,
        address=address.strip(),
        postcode=normalise_postcode(postcode),
        gp_practice=gp_practice,
    )
    known = Patient.objects.filter(nhs_number=patient.nhs_number).first() if patient.nhs_number else None
    if known:
        given = {"given_name": patient.given_name, "family_name": patient.family_name,
                 "date_of_birth": date_of_birth.isoformat() if date_of_birth else None}
        differences = identity_differences(known, given)
        if differences:
            # Not simply "find them": the number or the details are wrong, and the user must see both.
            raise PatientIdentityMismatch(known, given, differences)
        raise ValidationError({"nhs_number": DUPLICATE_NHS_NUMBER})
    if not confirmed_different:
        duplicates = list(
            patient_probable_duplicates(
                given_name=patient.given_name,
                family_name=patient.family_name,
                date_of_birth=date_of_birth,
                postcode=patient.postcode,
            )
        )
        if duplicates:
            raise ProbableDuplicatePatient(duplicates)
    try:
        with transaction.atomic():
            save_as(patient, actor)
    except IntegrityError:
        # Two people saved the same NHS number at once: the constraint let only one in.
        raise ValidationError({"nhs_number": DUPLICATE_NHS_NUMBER}) from None
    return patient

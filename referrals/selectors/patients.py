"""Finding a patient: by NHS number, name and date of birth, or postcode; and who they may already be."""

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ccc.models import User
from ccc.nhs_number import normalise_nhs_number
from ccc.permissions import Action, can
from ccc.postcodes import normalise_postcode
from referrals.models import Patient


def _current() -> QuerySet[Patient]:
    """Records still in use: one merged into another is found as the one kept, never on its own."""
    return Patient.objects.filter(merged_into__isnull=True)


def patient_search(*, nhs_number: str = "", name: str = "", date_of_birth: date | None = None) -> QuerySet[Patient]:
    """Patients matching an NHS number, or a name (first, last or both) with an optional date of birth."""
    if nhs_number:
        return _current().filter(nhs_number=normalise_nhs_number(nhs_number))
    queryset = _current()
    if not (name or date_of_birth):
        return queryset.none()
    for word in name.split():
        queryset = queryset.filter(Q(family_name__istartswith=word) | Q(given_name__istartswith=word))
    if date_of_birth:
        queryset = queryset.filter(date_of_birth=date_of_birth)
    return queryset[:50]


def patient_get(*, public_id, fetched_by: User) -> Patient:
    """One patient; 404 to anyone the permission module does not let see patients."""
    if not can(fetched_by, Action.PATIENT_VIEW):
        raise Http404
    return get_object_or_404(Patient, public_id=public_id)


def patient_probable_duplicates(
    *, given_name: str, family_name: str, date_of_birth: date, postcode: str
) -> QuerySet[Patient]:
    """People who may already be this person: same name, date of birth and postcode.

    The same NHS number is refused outright by the unique constraint, not offered here.
    """
    if not (given_name and family_name and date_of_birth and postcode):
        return Patient.objects.none()
    return _current().filter(
        given_name__iexact=given_name.strip(),
        family_name__iexact=family_name.strip(),
        date_of_birth=date_of_birth,
        postcode=normalise_postcode(postcode),
    )


def patient_find(
    *, nhs_number: str = "", name: str = "", date_of_birth: date | None = None, postcode: str = ""
) -> QuerySet[Patient]:
    """Find a patient by NHS number, or name with date of birth, or postcode (with a name to narrow it)."""
    if postcode and not nhs_number:
        queryset = _current().filter(postcode=normalise_postcode(postcode))
        for word in name.split():
            queryset = queryset.filter(Q(family_name__istartswith=word) | Q(given_name__istartswith=word))
        if date_of_birth:
            queryset = queryset.filter(date_of_birth=date_of_birth)
        return queryset[:50]
    return patient_search(nhs_number=nhs_number, name=name, date_of_birth=date_of_birth)

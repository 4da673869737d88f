"""Finding a patient: by NHS number, name and date of birth, or postcode; and who they may already be."""

from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404

from ccc.lists import FirstRows, first_rows
from ccc.models import User
from ccc.nhs_number import normalise_nhs_number
from ccc.patient_access import scope_patients
from ccc.permissions import Action, can, require
from ccc.postcodes import normalise_postcode
from referrals.models import Patient

# A search shows at most this many people, and says so when more matched (the page and the API).
PATIENT_SEARCH_LIMIT = 50


def _current() -> QuerySet[Patient]:
    """Records still in use: one merged into another is found as the one kept, never on its own."""
    return Patient.objects.filter(merged_into__isnull=True)


def patients_visible(*, fetched_by: User | None) -> QuerySet[Patient]:
    """The current patients ``fetched_by`` may open (all of them when no person asks: services and commands)."""
    patients = _current().select_related("gp_practice")  # a list shows each one's practice
    return patients if fetched_by is None else scope_patients(fetched_by, patients)


def patient_search(
    *, nhs_number: str = "", name: str = "", date_of_birth: date | None = None, fetched_by: User | None = None
) -> FirstRows:
    """Patients matching an NHS number, or a name (first, last or both) with an optional date of birth:
    the first ``PATIENT_SEARCH_LIMIT``, and whether more matched (one query)."""
    visible = patients_visible(fetched_by=fetched_by)
    if nhs_number:
        queryset = visible.filter(nhs_number=normalise_nhs_number(nhs_number))
    elif name or date_of_birth:
        queryset = _named(visible, name)
        if date_of_birth:
            queryset = queryset.filter(date_of_birth=date_of_birth)
    else:
        queryset = Patient.objects.none()
    return first_rows(queryset, limit=PATIENT_SEARCH_LIMIT)


def _named(queryset: QuerySet[Patient], name: str) -> QuerySet[Patient]:
    """Each word starts the family or given name, compared in lower case: ``lower(...) LIKE``
    matches the indexed expression, where ``istartswith``'s ``UPPER(...)`` matches none."""
    queryset = queryset.alias(family_lower=Lower("family_name"), given_lower=Lower("given_name"))
    for word in name.lower().split():
        queryset = queryset.filter(Q(family_lower__startswith=word) | Q(given_lower__startswith=word))
    return queryset


def patient_get(*, public_id, fetched_by: User) -> Patient:
    """One patient; 404 to anyone the permission module does not let see patients, and 403 to a
    clinician with no legitimate relationship with this one (ccc.patient_access)."""
    if not can(fetched_by, Action.PATIENT_VIEW):
        raise Http404
    patient = get_object_or_404(Patient, public_id=public_id)
    require(fetched_by, Action.PATIENT_VIEW, patient)
    return patient


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
    *,
    nhs_number: str = "",
    name: str = "",
    date_of_birth: date | None = None,
    postcode: str = "",
    fetched_by: User | None = None,
) -> FirstRows:
    """Find a patient by NHS number, or name with date of birth, or postcode (with a name to narrow it),
    among those ``fetched_by`` may open: the first ``PATIENT_SEARCH_LIMIT``, and whether more matched."""
    if postcode and not nhs_number:
        queryset = _named(patients_visible(fetched_by=fetched_by).filter(postcode=normalise_postcode(postcode)), name)
        if date_of_birth:
            queryset = queryset.filter(date_of_birth=date_of_birth)
        return first_rows(queryset, limit=PATIENT_SEARCH_LIMIT)
    return patient_search(nhs_number=nhs_number, name=name, date_of_birth=date_of_birth, fetched_by=fetched_by)

"""Reading a patient's phones, next of kin and carers, and safety alerts; and annotating any list
whose rows lead to a patient with their alerts and number to dial, in the list's one query."""

from dataclasses import dataclass

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connection
from django.db.models import Aggregate, F, JSONField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.http import Http404
from django.shortcuts import get_object_or_404

from ccc.models import User
from ccc.permissions import Action, can
from ccc.phone import format_phone
from referrals.models import Patient, PatientMerge, PatientPhone, PatientSupportPerson, SafetyAlert


def patient_for_details(*, public_id, fetched_by: User) -> Patient:
    """A patient whose details the person may read or record (clinical roles record them too)."""
    if not (can(fetched_by, Action.PATIENT_VIEW) or can(fetched_by, Action.PATIENT_DETAILS_EDIT)):
        raise Http404
    return get_object_or_404(Patient.objects.select_related("merged_into"), public_id=public_id)


def active_alerts(*, patient: Patient) -> list[SafetyAlert]:
    """The alerts in force for one patient, with who raised each (one query)."""
    return list(SafetyAlert.objects.active().filter(patient=patient).select_related("raised_by"))


@dataclass
class PatientDetails:
    phones: list[PatientPhone]
    support_people: list[PatientSupportPerson]
    alerts: list[SafetyAlert]
    ended_alerts: list[SafetyAlert]
    merges: list[PatientMerge]


def patient_details(*, patient: Patient, fetched_by: User) -> PatientDetails:
    alerts = list(SafetyAlert.objects.filter(patient=patient).select_related("raised_by", "ended_by"))
    return PatientDetails(
        phones=list(PatientPhone.objects.active().filter(patient=patient)),
        support_people=list(PatientSupportPerson.objects.active().filter(patient=patient)),
        alerts=[alert for alert in alerts if alert.ended_at is None],
        ended_alerts=[alert for alert in alerts if alert.ended_at is not None],
        merges=list(
            PatientMerge.objects.filter(kept=patient).select_related("duplicate", "merged_by")
            if can(fetched_by, Action.PATIENT_MERGE) else []
        ),
    )


class _JSONGroupArray(Aggregate):
    """SQLite's JSON_GROUP_ARRAY: the demo's database builds the same list (in no set order)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()


def _json_list(expression):
    if connection.vendor == "postgresql":
        return JSONBAgg(expression, order_by="category")
    return _JSONGroupArray(expression)


def with_patient_safety(queryset: QuerySet, patient_path: str) -> QuerySet:
    """Annotate each row with ``patient_alerts`` (a list of {category, detail, review_on}) and
    ``patient_phone_first`` (E.164), as subqueries: the list stays one query however long it is."""
    patient_ref = OuterRef(patient_path)
    alerts = (
        SafetyAlert.objects.active()
        .filter(patient=patient_ref)
        .order_by()
        .values("patient")
        .annotate(
            alerts=_json_list(JSONObject(category=F("category"), detail=F("detail"), review_on=F("review_on")))
        )
        .values("alerts")
    )
    phone = PatientPhone.objects.active().filter(patient=patient_ref, call_first=True).values("number")[:1]
    return queryset.annotate(
        patient_alerts=Coalesce(Subquery(alerts), Value([], output_field=JSONField())),
        patient_phone_first=Subquery(phone),
    )


def phone_to_call_first(*, patient: Patient) -> str:
    """The number to dial first, formatted for reading; '' when none is recorded."""
    number = PatientPhone.objects.active().filter(patient=patient, call_first=True).values_list("number", flat=True).first()
    return format_phone(number or "")


def alert_category_label(category: str) -> str:
    try:
        return SafetyAlert.Category(category).label
    except ValueError:
        return category

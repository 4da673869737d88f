"""Merging a duplicate patient record into the one kept, and undoing it exactly.

Generic on purpose: every foreign key any app points at Patient (Django's ``_meta.related_objects``)
moves, so a new capability's records move too without touching this module. What moved is kept on
the PatientMerge row, so unmerging moves back exactly those rows and no others.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ccc.audit import save_as, update_as
from ccc.exceptions import Conflict
from ccc.models import User
from ccc.permissions import Action, require
from referrals.models import Patient, PatientMerge

# Relations that describe the merge itself rather than the patient's care.
_NOT_MOVED = {(PatientMerge, "kept"), (PatientMerge, "duplicate"), (Patient, "merged_into")}


def _patient_foreign_keys() -> list[models.ForeignKey]:
    """Every foreign key to Patient from a model that is not a history table."""
    fields = []
    for relation in Patient._meta.related_objects:
        model, field = relation.related_model, relation.field
        if relation.many_to_many or (model, field.name) in _NOT_MOVED:
            continue
        if model.__name__.startswith("Historical") and hasattr(model, "history_id"):
            continue
        fields.append(field)
    return fields


def _move(model: type[models.Model], field: str, pks: list, to: Patient, actor: User) -> None:
    rows = model._default_manager.filter(pk__in=pks)
    if hasattr(model, "history"):
        update_as(rows, actor, **{field: to})  # each moved row's history names who moved it
    else:
        rows.update(**{field: to})


def _locked(*patients: Patient) -> list[Patient]:
    by_pk = Patient.objects.select_for_update().in_bulk([patient.pk for patient in patients])
    return [by_pk[patient.pk] for patient in patients]


@transaction.atomic
def patient_merge(*, actor: User, kept: Patient, duplicate: Patient, reason: str) -> PatientMerge:
    """Move everything recorded against ``duplicate`` to ``kept`` and mark the duplicate merged (never deleted)."""
    require(actor, Action.PATIENT_MERGE)
    if not reason.strip():
        raise ValidationError({"reason": "Say why these records are the same person"})
    if kept.pk == duplicate.pk:
        raise ValidationError({"duplicate": "Choose two different records"})
    kept, duplicate = _locked(kept, duplicate)
    if duplicate.merged_into_id or kept.merged_into_id:
        raise Conflict("One of these records has already been merged: refresh and look again")
    if kept.nhs_number and duplicate.nhs_number and kept.nhs_number != duplicate.nhs_number:
        raise ValidationError(
            {"duplicate": "These records have different NHS numbers: they are different people, not duplicates"}
        )
    moved = []
    try:
        with transaction.atomic():
            for field in _patient_foreign_keys():
                model = field.model
                pks = list(model._default_manager.filter(**{field.name: duplicate}).values_list("pk", flat=True))
                if pks:
                    _move(model, field.name, pks, kept, actor)
                    moved.append({"model": model._meta.label_lower, "field": field.name, "pks": pks})
    except IntegrityError:
        raise ValidationError(
            {"duplicate": "Both records have something that may exist only once per patient (e.g. an open "
                          "register entry): close one first, then merge"}
        ) from None
    duplicate.merged_into = kept
    save_as(duplicate, actor)
    merge = PatientMerge(
        kept=kept, duplicate=duplicate, reason=reason.strip(), merged_by=actor, merged_at=timezone.now(), moved=moved
    )
    save_as(merge, actor)
    return merge


@transaction.atomic
def patient_unmerge(*, actor: User, merge: PatientMerge) -> PatientMerge:
    """Undo a merge: exactly the rows it moved go back to the duplicate, which is a record of its own again."""
    require(actor, Action.PATIENT_MERGE)
    merge = PatientMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.unmerged_at:
        raise Conflict("This merge was already undone")
    kept, duplicate = _locked(merge.kept, merge.duplicate)
    for entry in merge.moved:
        _move(apps.get_model(entry["model"]), entry["field"], entry["pks"], duplicate, actor)
    duplicate.merged_into = None
    save_as(duplicate, actor)
    merge.unmerged_at = timezone.now()
    merge.unmerged_by = actor
    save_as(merge, actor)
    return merge

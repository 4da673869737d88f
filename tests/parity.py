"""Parity: the same write done through the pages and through the API leaves the same trace.

The one helper every app's parity tests use. ``both_ways(page, api, tracked=...)`` runs each way
from the same starting point (the first is rolled back before the second), snapshotting what each
left: every row of the tracked models (by default those a front desk write can touch), their
history rows (type and history_user included) and the referrals' timelines. A
snapshot names rows by their place in their table rather than their database id, writes any
public id as ``<uuid>`` and any reference read out on the phone (R000012) as ``<reference>``, and
takes two moments a few seconds apart (a deadline counted from now, one way and then the other) as
the same, so the two ways compare equal when, and only when, they wrote the same things.
"""

import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from ccc.models import Organisation, Team, User
from escalations.models import Clock
from referrals.models import Contact, FollowUpCall, Patient, Referral, TimelineEvent, TransportBooking
from triage.models import DutyQueue, QueueItem

TRACKED: list[type[models.Model]] = [
    Patient, Referral, TimelineEvent, QueueItem, FollowUpCall, TransportBooking, Contact, Clock,
]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
REFERENCE = re.compile(r"\b[RC]\d{6}\b")  # Referral.reference and Contact.reference: built from the id
SAME_MOMENT = timedelta(seconds=5)
# Differ between the page and the API by design: only an API request's body is fingerprinted.
BY_CHANNEL = {"request_fingerprint"}


class Moment:
    """A datetime equal to any other within a few seconds: the second way runs a moment after the first."""

    def __init__(self, value: datetime) -> None:
        self.value = value

    def __eq__(self, other) -> bool:
        return isinstance(other, Moment) and abs(self.value - other.value) < SAME_MOMENT

    def __repr__(self) -> str:
        return f"Moment({self.value.isoformat()})"


class _Names:
    """Each tracked row's name as its model and place: ``Referral#3`` whatever its id."""

    def __init__(self, tracked) -> None:
        self.names = {
            model: {pk: f"{model.__name__}#{n}" for n, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True))}
            for model in tracked
        }

    def of(self, model: type[models.Model], pk):
        return self.names.get(model, {}).get(pk, pk)


def _value(row: models.Model, field: models.Field, names: _Names):
    value = getattr(row, field.attname)
    if field.is_relation and field.related_model is not None:
        return names.of(field.related_model._meta.concrete_model, value)
    if isinstance(value, datetime):
        return Moment(value)
    if isinstance(value, str):
        return REFERENCE.sub("<reference>", UUID.sub("<uuid>", value))
    return value


def _row(row: models.Model, model: type[models.Model], names: _Names, ignore: set[str]) -> dict:
    values = {}
    for field in row._meta.concrete_fields:
        if field.name in ignore or isinstance(field, models.UUIDField | models.AutoField):
            continue
        values[field.name] = _value(row, field, names)
    if "id" in values:  # a history row: the id of the row it records
        values["id"] = names.of(model, values["id"])
    if model is Clock:  # the subject (of the clock or its history row) is a row of a tracked model
        subject = ContentType.objects.get_for_id(row.subject_type_id).model_class()
        values["subject_id"] = names.of(subject, row.subject_id)
    return values


def snapshot(ignore: set[str] = frozenset(), tracked=TRACKED) -> dict:
    """Every tracked row and history row as it stands, named so that two ways of writing compare."""
    ignore = {*ignore, *BY_CHANNEL}
    names = _Names(tracked)
    taken = {}
    for model in tracked:
        taken[model.__name__] = [_row(row, model, names, ignore) for row in model.objects.order_by("pk")]
        if hasattr(model, "history"):
            history = model.history.model.objects.order_by("history_id")
            taken[f"{model.__name__} history"] = [_row(row, model, names, ignore) for row in history]
    return taken


def both_ways(
    page: Callable[[], object], api: Callable[[], object], ignore: set[str] = frozenset(), tracked=TRACKED
) -> tuple[dict, dict]:
    """Snapshots after ``page()`` and after ``api()``, each run from the same starting point."""
    with transaction.atomic():
        page()
        by_page = snapshot(ignore, tracked)
        transaction.set_rollback(True)
    api()
    return by_page, snapshot(ignore, tracked)


def history(taken: dict, model: str) -> list[tuple[str, object]]:
    """A snapshot's history rows of ``model`` as (type, who), oldest first."""
    return [(row["history_type"], row["history_user"]) for row in taken[f"{model} history"]]


# --- Two like objects, one changed through each door -------------------------------------------
# ``rows_snapshot(rows)`` reduces rows to what a person would compare between two runs of one action
# on two like objects: every field except ids, keys and times (a time is only "set" or not), links
# to shared rows (people, queues, teams, organisations) by id and links to the run's own rows only
# as "set", and each row's history as (type, who) in order.


# Differ between two runs of the same action by design.
VOLATILE = {"id", "public_id", "submission_key", "idempotency_key", "request_fingerprint", "reference"}
# Rows both runs share: a link to one of these must be the same row.
SHARED = (User, DutyQueue, Team, Organisation)


def _plain(field: models.Field, obj: models.Model) -> Any:
    value = getattr(obj, field.attname)
    if isinstance(field, models.ForeignKey) and not issubclass(field.related_model, SHARED):
        return "set" if value is not None else None
    if isinstance(field, models.DateTimeField):
        return "set" if value is not None else None
    return value


def _alike(obj: models.Model) -> dict[str, Any]:
    values = {f.name: _plain(f, obj) for f in obj._meta.concrete_fields if f.name not in VOLATILE}
    values["model"] = obj._meta.label
    if hasattr(type(obj), "history"):
        values["history"] = [(h.history_type, h.history_user_id) for h in obj.history.order_by("history_id")]
    return values


def rows_snapshot(rows: Iterable[models.Model]) -> list[dict[str, Any]]:
    return [_alike(obj) for obj in rows]

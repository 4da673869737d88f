"""One action done on the pages and over the API must leave the same records (issue 12).

``snapshot(rows)`` reduces rows to what a person would compare between two runs of one action on
two like objects: every field except ids, keys and times (a time is only "set" or not), links to
shared rows (people, queues, teams, organisations) by id and links to the run's own rows only as
"set", and each row's history as (type, who) in order. Two runs agree when their snapshots are equal.
"""

from collections.abc import Iterable
from typing import Any

from django.db import models

from ccc.models import Organisation, Team, User
from triage.models import DutyQueue

# Differ between two runs of the same action by design.
VOLATILE = {"id", "public_id", "submission_key", "idempotency_key", "reference"}
# Rows both runs share: a link to one of these must be the same row.
SHARED = (User, DutyQueue, Team, Organisation)


def _value(field: models.Field, obj: models.Model) -> Any:
    value = getattr(obj, field.attname)
    if isinstance(field, models.ForeignKey) and not issubclass(field.related_model, SHARED):
        return "set" if value is not None else None
    if isinstance(field, models.DateTimeField):
        return "set" if value is not None else None
    return value


def row(obj: models.Model) -> dict[str, Any]:
    values = {f.name: _value(f, obj) for f in obj._meta.concrete_fields if f.name not in VOLATILE}
    values["model"] = obj._meta.label
    if hasattr(type(obj), "history"):
        values["history"] = [(h.history_type, h.history_user_id) for h in obj.history.order_by("history_id")]
    return values


def snapshot(rows: Iterable[models.Model]) -> list[dict[str, Any]]:
    return [row(obj) for obj in rows]

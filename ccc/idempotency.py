"""One submission makes one record: what a repeated submission key already made.

Over the API a key comes with a body. The record keeps a fingerprint of the body that made it
(``request_fingerprint``, a sha256 of the validated input as canonical JSON), so a repeat with the
same body gets the first record back while the same key with a different body is refused
(``SubmissionMismatch``, answered 422) instead of silently returning a record the caller did not
ask for. Pages send no fingerprint: their hidden submission key only guards a double submit.
"""

import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db import models

from ccc.exceptions import Conflict, SubmissionMismatch


def _canonical(value: Any) -> Any:
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_canonical(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    return value


def fingerprint_field() -> models.CharField:
    """The field beside a record's submission key that keeps the fingerprint of the body that made it."""
    return models.CharField(
        max_length=64, blank=True, default="", editable=False,
        help_text="sha256 of the API request body that made this record (blank when made on a page)",
    )


def request_fingerprint(validated: Mapping[str, Any]) -> str:
    """The sha256 of ``validated`` (a serializer's validated data) as canonical JSON: the same input
    gives the same fingerprint whatever the order of its fields; a record stands for itself by id."""
    text = json.dumps(_canonical(validated), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def same_submission(existing: models.Model | None, fingerprint: str, noun: str) -> models.Model | None:
    """``existing`` if a repeat of the body that made it (or either side has no fingerprint);
    the same key with a different body is a ``SubmissionMismatch``."""
    if existing is not None and fingerprint and existing.request_fingerprint not in ("", fingerprint):
        raise SubmissionMismatch(
            f"This Idempotency-Key already made a {noun} from a different request body: "
            f"send a new key for a new {noun}, or the same body to get the first one back"
        )
    return existing


def submitted_before(
    model: type[models.Model], *, key: str, actor, actor_field: str, noun: str, fingerprint: str = ""
):
    """The record the submission ``key`` made, or None; someone else's key is a Conflict, and the
    same key with a different body (``fingerprint``) a SubmissionMismatch.

    ``actor_field`` names the record's foreign key to the person who submitted it.
    """
    existing = model.objects.filter(idempotency_key=key).first()
    if existing and getattr(existing, f"{actor_field}_id") != actor.pk:
        raise Conflict(f"This submission key was already used by someone else: start a new {noun}")
    return same_submission(existing, fingerprint, noun)

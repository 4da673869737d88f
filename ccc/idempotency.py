"""One submission makes one record: what a repeated submission key already made."""

from django.db import models

from ccc.exceptions import Conflict


def submitted_before(model: type[models.Model], *, key: str, actor, actor_field: str, noun: str):
    """The record the submission ``key`` made, or None; someone else's key is a Conflict.

    ``actor_field`` names the record's foreign key to the person who submitted it.
    """
    existing = model.objects.filter(idempotency_key=key).first()
    if existing and getattr(existing, f"{actor_field}_id") != actor.pk:
        raise Conflict(f"This submission key was already used by someone else: start a new {noun}")
    return existing

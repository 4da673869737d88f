"""The one audit trail: django-simple-history, with the acting user named on every write."""

from typing import Any

from django.db import models
from simple_history.utils import bulk_update_with_history


def save_as(instance: models.Model, actor: Any, **kwargs: Any) -> None:
    """Validate and save ``instance``, recording ``actor`` as the one who changed it.

    Services call this rather than ``save()`` so the history names the person even outside a
    web request (API tokens, Celery, management commands).
    """
    instance.full_clean()
    instance._history_user = actor
    instance.save(**kwargs)


def update_as(queryset: models.QuerySet, actor: Any, **fields: Any) -> int:
    """Set ``fields`` on every row of ``queryset`` and record each change in its history.

    The one way to change many rows of a model that keeps history: a bare ``.update()`` would
    leave no trace of who changed what. Returns how many rows changed.
    """
    rows = list(queryset)
    if not rows:
        return 0
    for row in rows:
        for name, value in fields.items():
            setattr(row, name, value)
    bulk_update_with_history(rows, queryset.model, list(fields), default_user=actor)
    return len(rows)

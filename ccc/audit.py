"""The one audit trail: django-simple-history, with the acting user named on every write."""

from typing import Any

from django.db import models


def save_as(instance: models.Model, actor: Any, **kwargs: Any) -> None:
    """Validate and save ``instance``, recording ``actor`` as the one who changed it.

    Services call this rather than ``save()`` so the history names the person even outside a
    web request (API tokens, Celery, management commands).
    """
    instance.full_clean()
    instance._history_user = actor
    instance.save(**kwargs)

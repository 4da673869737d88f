"""The one audit trail: django-simple-history, with the acting user named on every write."""

from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from simple_history.utils import bulk_update_with_history, get_history_manager_for_model


def save_as(instance: models.Model, actor: Any, *, checked: Iterable[str] = (), **kwargs: Any) -> None:
    """Validate and save ``instance``, recording ``actor`` as the one who changed it.

    Services call this rather than ``save()`` so the history names the person even outside a
    web request (API tokens, Celery, management commands). ``checked`` names fields the service
    has already checked itself (a unique key it looked up under lock, a row it made in this
    transaction): validating them again would only repeat its query, and the database's
    constraints still refuse a clash.
    """
    instance.full_clean(exclude=[*_checked_by_database(instance), *checked])
    instance._history_user = actor
    instance.save(**kwargs)


def _constrained_fields(model: type[models.Model]) -> set[str]:
    opts = model._meta
    names = {name for group in opts.unique_together for name in group}
    for constraint in opts.total_unique_constraints + list(opts.constraints):
        names.update(getattr(constraint, "fields", ()) or ())
        # Expression constraints (Coalesce("queue", ...)) name their fields inside: keep them all.
        if getattr(constraint, "expressions", ()) or getattr(constraint, "condition", None) is not None:
            return {field.name for field in opts.concrete_fields}
    return names


def _checked_by_database(instance: models.Model) -> list[str]:
    """Fields whose model validation would only repeat, one query each, what the database checks
    anyway: a foreign key to an object already loaded (its row exists; the foreign key
    constraint refuses the write if it has gone since) and a new row's random public id. Fields
    in a unique rule or constraint, or with ``limit_choices_to``, are still validated in full."""
    constrained = _constrained_fields(type(instance))
    skipped = []
    for field in instance._meta.concrete_fields:
        if field.name in constrained or field.unique and field.name != "public_id":
            continue
        if field.many_to_one and not field.remote_field.limit_choices_to and field.is_cached(instance):
            related = getattr(instance, field.name)
            if related is not None and related.pk is not None:
                skipped.append(field.name)
        elif field.name == "public_id" and instance._state.adding:
            skipped.append(field.name)
    return skipped


def known_related(instance: models.Model, relation: str, rows: Iterable[models.Model]) -> None:
    """Tell ``instance`` that ``rows`` are all its ``relation`` (a reverse foreign key) holds, as a
    prefetch would: a service that has just written them answers without reading them back."""
    queryset = getattr(instance, relation).get_queryset()
    queryset._result_cache, queryset._prefetch_done = list(rows), True
    instance._prefetched_objects_cache = {**getattr(instance, "_prefetched_objects_cache", {}), relation: queryset}


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


def bulk_save_as(rows: list[models.Model], fields: list[str], actor: Any) -> None:
    """Write ``fields`` of many already-changed ``rows`` of one model, each change in its history.

    For sweeps that change hundreds of rows differently: on PostgreSQL one ``UPDATE ... FROM
    unnest(...)``, since Django's ``bulk_update`` builds a CASE per field per row and costs
    seconds at that size; elsewhere (the SQLite demo) ``bulk_update``.
    """
    if not rows:
        return
    model = type(rows[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(rows, fields)
    else:
        opts = model._meta
        columns = [opts.pk] + [opts.get_field(name) for name in fields]
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in columns[1:])
        arrays = ", ".join(f"%s::{field.rel_db_type(connection) if field.primary_key else field.db_type(connection)}[]"
                           for field in columns)
        names = ", ".join(quote(field.column) for field in columns)
        params = [[field.get_db_prep_save(getattr(row, field.attname), connection) for row in rows]
                  for field in columns]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(opts.db_table)} AS t SET {assignments} FROM unnest({arrays}) AS v({names}) "
                f"WHERE t.{quote(opts.pk.column)} = v.{quote(opts.pk.column)}",
                params,
            )
    get_history_manager_for_model(model).bulk_history_create(rows, update=True, default_user=actor)

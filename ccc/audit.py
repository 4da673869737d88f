"""The one audit trail: django-simple-history, with the acting user named on every write."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.utils import timezone
from simple_history.utils import (
    bulk_create_with_history,
    bulk_update_with_history,
    get_change_reason_from_object,
    get_history_manager_for_model,
)


def save_as(instance: models.Model, actor: Any, *, checked: Iterable[str] = (), **kwargs: Any) -> None:
    """Validate and save ``instance``, recording ``actor`` as the one who changed it.

    Services call this rather than ``save()`` so the history names the person even outside a
    web request (API tokens, Celery, management commands). ``checked`` names fields the service
    has already checked itself (a unique key it looked up under lock, a row it made in this
    transaction): validating them again would only repeat its query, and the database's
    constraints still refuse a clash. Given ``update_fields``, only those fields are validated
    and written.
    """
    exclude = [*_checked_by_database(instance), *checked]
    if kwargs.get("update_fields") is not None:
        # Only these are written: the others are as they were read, valid then and unchanged now.
        written = set(kwargs["update_fields"])
        exclude += [field.name for field in instance._meta.concrete_fields if field.name not in written]
    instance.full_clean(exclude=exclude)
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
        get_history_manager_for_model(model).bulk_history_create(rows, update=True, default_user=actor)
        return
    opts = model._meta
    columns = [opts.pk] + [opts.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in columns[1:])
    arrays, params = _arrays(columns, rows, adding=False)
    names = ", ".join(quote(field.column) for field in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(opts.db_table)} AS t SET {assignments} FROM unnest({arrays}) AS v({names}) "
            f"WHERE t.{quote(opts.pk.column)} = v.{quote(opts.pk.column)}",
            params,
        )
    _history_insert(rows, "~", actor)


def bulk_create_as(rows: list[models.Model], actor: Any) -> None:
    """Insert many new ``rows`` of one model, each with its history row naming ``actor`` (who,
    when, "+"): two statements however many rows (``insert_rows``). Elsewhere than PostgreSQL,
    simple-history's ``bulk_create_with_history``."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        bulk_create_with_history(rows, type(rows[0]), default_user=actor)
        return
    insert_rows(rows)
    _history_insert(rows, "+", actor)


def insert_rows(rows: list[models.Model]) -> None:
    """Insert many new rows of one model as one ``INSERT ... SELECT * FROM unnest(...)``, one array
    per column, and set their primary keys. Django's ``bulk_create`` sends the same statement but
    prepares every value through its compiler, most of a sweep's time at thousands of rows. No
    history: for rows that keep none, or through ``bulk_create_as``. ``bulk_create`` elsewhere."""
    if not rows:
        return
    model = type(rows[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows)
        return
    returned = _insert(model, [field for field in model._meta.concrete_fields if not field.db_returning], rows)
    for row, (pk,) in zip(rows, returned, strict=True):
        row.pk = pk
        row._state.adding, row._state.db = False, connection.alias


def _history_insert(rows: list[models.Model], history_type: str, actor: Any) -> None:
    """One history row per row, as simple-history's ``bulk_history_create`` makes them, in one insert."""
    history = get_history_manager_for_model(type(rows[0])).model
    now = timezone.now()
    made = {"history_date": now, "history_type": history_type, "history_user_id": actor.pk if actor else None}
    records = [
        {**made, "history_change_reason": get_change_reason_from_object(row) or ""} for row in rows
    ]
    fields = [field for field in history._meta.concrete_fields if not field.db_returning]
    columns = [
        [record[field.attname] if field.attname in record else getattr(row, field.attname) for row, record in
         zip(rows, records, strict=True)]
        for field in fields
    ]
    _insert(history, fields, columns=columns)


def _insert(model: type[models.Model], fields: list, rows: list | None = None, *, columns: list | None = None):
    quote = connection.ops.quote_name
    arrays, params = _arrays(fields, rows, columns=columns)
    names = ", ".join(quote(field.column) for field in fields)
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} ({names}) SELECT * FROM unnest({arrays}) RETURNING {pk}",
            params,
        )
        return cursor.fetchall()


def _arrays(fields: list, rows: list | None, *, adding: bool = True, columns: list | None = None) -> tuple[str, list]:
    """The ``%s::type[]`` placeholders for ``fields`` and one list of database values per field,
    from ``rows`` (through each field's ``pre_save``, as a save would) or from raw ``columns``."""
    # Cast to the base type (varchar, not varchar(200)): an explicit cast would cut a long value
    # short where the column's own assignment cast refuses it, as a plain INSERT does.
    types = ", ".join(
        f"%s::{(field.rel_db_type(connection) if field.primary_key else field.db_type(connection)).split('(')[0]}[]"
        for field in fields
    )
    if columns is None:
        columns = [[field.pre_save(row, adding) for row in rows] for field in fields]
    return types, [_prepared(field, column) for field, column in zip(fields, columns, strict=True)]


# Fields whose value, when it already has this Python type, the driver takes as it is: the
# field's own conversion would hand it back unchanged, at a cost a sweep of thousands of rows feels.
_AS_IS = (
    (models.CharField, str), (models.TextField, str), (models.IntegerField, int), (models.BooleanField, bool),
    (models.UUIDField, uuid.UUID), (models.DateTimeField, datetime),
)


def _prepared(field: models.Field, column: list) -> list:
    target = field.target_field if field.many_to_one else field
    kind = next((kind for base, kind in _AS_IS if isinstance(target, base)), None)
    if kind is None:
        return [field.get_db_prep_save(value, connection) for value in column]
    return [
        value if value is None or type(value) is kind and (kind is not datetime or value.tzinfo is not None)
        else field.get_db_prep_save(value, connection)
        for value in column
    ]

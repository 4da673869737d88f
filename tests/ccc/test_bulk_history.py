"""Sweeps write thousands of rows in a few statements (``ccc.audit.bulk_create_as``,
``bulk_save_as``, ``insert_rows``), and the history still records each row's change: who, when,
and what kind of change, as simple-history's own writes do."""

import pytest
from django.db import DataError

from ccc.audit import bulk_create_as, bulk_save_as
from referrals.models import NeedCategory


def test_rows_made_in_bulk_each_get_their_id_and_a_history_row_naming_who_made_them(manager):
    needs = [NeedCategory(code=f"bulk-{n}", name=f"Bulk {n}", group="Bulk") for n in range(3)]

    bulk_create_as(needs, manager)

    assert all(need.pk and not need._state.adding for need in needs)
    assert list(NeedCategory.objects.filter(code__startswith="bulk-").order_by("pk")) == needs
    for need in needs:
        (made,) = need.history.all()
        assert (made.history_type, made.history_user, made.name) == ("+", manager, need.name)
        assert made.history_date is not None and made.history_change_reason == ""


def test_rows_changed_in_bulk_each_get_a_history_row_of_the_change(manager, call_handler):
    needs = [NeedCategory(code=f"bulk-{n}", name=f"Bulk {n}", group="Bulk") for n in range(2)]
    bulk_create_as(needs, manager)
    for need in needs:
        need.name, need.is_active = need.name + " (closed)", False

    bulk_save_as(needs, ["name", "is_active"], call_handler)

    for need in needs:
        need.refresh_from_db()
        assert (need.name.endswith("(closed)"), need.is_active) == (True, False)
        changed = need.history.order_by("history_id").last()
        assert (changed.history_type, changed.history_user, changed.name, changed.is_active) == (
            "~", call_handler, need.name, False
        )


def test_a_value_too_long_for_its_column_is_refused_not_cut_short(manager):
    with pytest.raises(DataError):
        bulk_create_as([NeedCategory(code="too-long", name="x" * 201, group="Bulk")], manager)

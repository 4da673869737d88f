"""The one transition-table shape, and the registry of object rules every app fills."""

import pytest
from django.apps import apps

from ccc.exceptions import Conflict
from ccc.permissions import OBJECT_RULES, RULED_ACTIONS
from ccc.workflow import Transitions


def test_a_move_leads_to_its_target_and_one_keeping_its_state_stays():
    table = Transitions(["open", "closed"], close=({"open"}, "closed"), note=({"open"}, None))
    assert table.move("close", "open") == "closed"
    assert table.move("note", "open") == "open"


def test_a_move_from_a_state_not_in_the_table_is_refused_with_the_message_given():
    table = Transitions(["open", "closed"], close=({"open"}, "closed"))
    with pytest.raises(Conflict, match="already closed by Sam"):
        table.move("close", "closed", lambda: "It was already closed by Sam")
    assert table.refused() == [("close", "closed")]


def test_a_table_naming_a_state_it_does_not_have_is_refused_when_written():
    with pytest.raises(ValueError, match="closd"):
        Transitions(["open", "closed"], close=({"open"}, "closd"))


def test_every_workflow_model_keeps_its_moves_in_the_one_table_shape():
    tables = {model._meta.label: model.TRANSITIONS for model in apps.get_models() if hasattr(model, "TRANSITIONS")}
    # Queue items, episodes, visits, register entries, bookings, delays, trusted assessments,
    # clocks, follow-up calls and transport bookings.
    assert len(tables) >= 10, sorted(tables)
    wrong = [label for label, table in tables.items() if not isinstance(table, Transitions)]
    assert wrong == []


def test_every_action_that_depends_on_the_object_has_its_rule_registered():
    assert set(OBJECT_RULES) == set(RULED_ACTIONS)

"""The referrals app keeps the house rules: no decision by role, no bare bulk update of a model
that keeps history, no file over 400 lines (migrations aside)."""

import ast
from pathlib import Path

import pytest

import referrals

APP = Path(referrals.__file__).parent
SOURCES = sorted(path for path in APP.rglob("*.py") if "migrations" not in path.parts)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(APP)))
def test_no_application_file_decides_by_role_or_updates_in_bulk(path):
    tree = ast.parse(path.read_text())
    attributes = [node for node in ast.walk(tree) if isinstance(node, ast.Attribute)]

    assert [node.lineno for node in attributes if node.attr == "role"] == [], "ask ccc.permissions instead"
    # Every front desk model keeps history: a bulk change goes through ccc.audit.update_as.
    assert [node.lineno for node in attributes if node.attr == "update"] == [], "use ccc.audit.update_as"


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(APP)))
def test_no_application_file_is_over_400_lines(path):
    assert len(path.read_text().splitlines()) <= 400

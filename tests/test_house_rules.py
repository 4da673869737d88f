"""The house rules, checked over every app: no decision by role outside the permission modules,
no bare bulk update of a model that keeps history, no application file over 400 lines."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]
APPS = ["ccc", "referrals", "triage", "irr", "discharge", "directory", "escalations", "reporting", "interop"]
SOURCES = sorted(
    path for app in APPS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts
)

# Where a role may be read: the permission modules decide by it, the user model defines it, and
# the demo data gives each demo user theirs.
ROLE_READERS = {"ccc/permissions.py", "ccc/models.py", "ccc/management/commands/demo_data.py"}
# Bulk updates that leave history out on purpose, each for a field the history does not keep.
UNAUDITED_UPDATES = {
    ("directory/services.py", "Service"): "the derived search text, excluded from the history",
    ("directory/management/commands/directory_benchmark.py", "Service"): "the derived search text",
    ("ccc/management/commands/demo_data.py", "User"): "the password, excluded from the history",
    ("referrals/services/contacts.py", "Contact"): "is_current, derived from the versions, excluded from the history",
}


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _bulk_updated_models(tree: ast.AST) -> list[tuple[int, str]]:
    """``Model.objects....update(...)`` calls: (line, model name)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
            chain, through_objects = node.func.value, False
            while isinstance(chain, ast.Call | ast.Attribute):
                if isinstance(chain, ast.Attribute) and chain.attr == "objects":
                    through_objects = True
                chain = chain.func if isinstance(chain, ast.Call) else chain.value
            if through_objects and isinstance(chain, ast.Name):
                found.append((node.lineno, chain.id))
    return found


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_no_application_file_decides_by_role_outside_the_permission_modules(path):
    if _name(path) in ROLE_READERS or path.name == "permissions.py" or path.name == "demo.py":
        return
    attributes = [node for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.Attribute)]
    assert [node.lineno for node in attributes if node.attr == "role"] == [], "ask ccc.permissions instead"


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_no_model_that_keeps_history_is_updated_in_bulk_without_it(path):
    with_history = {model.__name__ for model in apps.get_models() if hasattr(model, "history")}
    bare = [
        (line, model) for line, model in _bulk_updated_models(ast.parse(path.read_text()))
        if model in with_history and (_name(path), model) not in UNAUDITED_UPDATES
    ]
    assert bare == [], "use ccc.audit.update_as"


@pytest.mark.parametrize("path", SOURCES, ids=_name)
def test_no_application_file_is_over_400_lines(path):
    assert len(path.read_text().splitlines()) <= 400


def test_the_bulk_update_check_sees_a_chained_queryset():
    tree = ast.parse("Clock.objects.filter(pk=1).select_for_update().update(state='answered')\nx.update(a=1)")
    assert _bulk_updated_models(tree) == [(1, "Clock")]

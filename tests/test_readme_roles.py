"""The README's roles table is the one in ccc.permissions.ROLE_ACTIONS, as scripts/roles_table.py prints it."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def printed_table() -> str:
    spec = importlib.util.spec_from_file_location("roles_table", ROOT / "scripts" / "roles_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.roles_table()


def test_the_readme_holds_the_roles_table_the_permission_module_grants():
    readme = (ROOT / "README.md").read_text()
    found = re.search(r"<!-- roles-table: start -->\n(.*?)\n<!-- roles-table: end -->", readme, re.S)

    assert found, "README.md has no roles table between its roles-table markers"
    assert found.group(1) == printed_table(), "run .venv/bin/python scripts/roles_table.py and paste it into README.md"


def test_the_table_has_a_row_for_every_action_and_a_column_for_every_role():
    from ccc.models import User
    from ccc.permissions import Action

    lines = printed_table().splitlines()

    assert len([line for line in lines if line.startswith("| `")]) == len(Action)
    assert lines[0].count("|") - 2 == len(User.Role)

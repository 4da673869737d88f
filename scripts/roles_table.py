"""Print the README's table of which role may do which action, from ccc/permissions.py.

    .venv/bin/python scripts/roles_table.py

The README's roles section holds exactly this output (tests/test_readme_roles.py checks it), so
the table in ccc.permissions.ROLE_ACTIONS and the README cannot drift apart.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def roles_table() -> str:
    from ccc.models import User
    from ccc.permissions import ROLE_ACTIONS, RULED_ACTIONS, Action

    roles = list(User.Role)
    lines = [
        "| Action | " + " | ".join(role.label for role in roles) + " |",
        "| --- |" + " :-: |" * len(roles),
    ]
    for action in Action:
        name = f"`{action.value}`" + (" *" if action in RULED_ACTIONS else "")
        cells = ["✓" if action in ROLE_ACTIONS[role] else "" for role in roles]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("\\* also depends on the object: the person's own queues, team, practice or ward, or what was sent to them.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccc.settings")
    os.environ.setdefault("DEBUG", "1")  # only to read the settings; nothing is served
    import django

    django.setup()
    print(roles_table())

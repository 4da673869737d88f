"""The documents' commands work as written: ``manage.py drf_create_token <username>`` (docs/API.md,
named in the README) run with no settings in the environment, as a reader copies it."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from rest_framework.authtoken.models import Token

from ccc.models import User
from tests import factories

ROOT = Path(__file__).resolve().parents[1]


def documented_token_command() -> list[str]:
    api_doc = (ROOT / "docs" / "API.md").read_text()
    line = re.search(r"^(.*manage\.py drf_create_token <username>)$", api_doc, re.M).group(1)
    assert line in (ROOT / "README.md").read_text(), "the README names the token command as docs/API.md writes it"
    return shlex.split(line)


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)  # the command runs in its own process: the user must be committed
def test_the_token_command_works_as_written_with_no_settings_in_the_environment():
    if connection.vendor != "postgresql":
        pytest.skip("points the command at the test database by URL: PostgreSQL")
    person = factories.user(User.Role.CALL_HANDLER)
    command = [part.replace("<username>", person.username) for part in documented_token_command()]
    if not (ROOT / command[0]).exists():  # a checkout whose virtualenv lives elsewhere
        command[0] = sys.executable
    # Only what locates the test database; no SECRET_KEY, no DEBUG, as in a reader's fresh shell.
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"), "DATABASE_URL": database_url()}

    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    assert Token.objects.get(user=person).key in done.stdout

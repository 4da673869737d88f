#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccc.settings")
    # With no settings at all, the demo's (as scripts/demo runs it: DEBUG on, its database under var/),
    # so a command in the README works as written. A deployment sets SECRET_KEY and is left as it is.
    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""Import services from an Open Referral UK JSON file.

    python manage.py directory_import FILE [--as USERNAME]

FILE is a ``/services`` page (``{"total_items": ..., "contents": [...]}``), a list of services
or one service, fully nested or not. Prints what it created, updated and refused, with the
reason for each refused record; a refused record leaves nothing behind. Exits 1 when it refused any.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from ccc.models import User
from directory.oruk_import import import_services, records_of


class Command(BaseCommand):
    help = "Import services from an Open Referral UK JSON file (a /services page, a list, or one service)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as", dest="username", help="Record this user as the one who made the changes.")

    def handle(self, *args, file: str, username: str | None = None, **options):
        actor = None
        if username:
            actor = User.objects.filter(username=username).first()
            if actor is None:
                raise CommandError(f"No user {username}")
        try:
            with open(file, encoding="utf-8") as handle:
                records = records_of(json.load(handle))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None

        step = max(1, len(records) // 20)  # about twenty progress lines, however large the file

        def progress(done: int, total: int) -> None:
            if done % step == 0 or done == total:
                self.stderr.write(f"{done} of {total} records ({100 * done // total}%)")

        report = import_services(records, actor=actor, progress=progress)
        self.stdout.write(
            f"Created {len(report.created)}, updated {len(report.updated)}, refused {len(report.refused)}"
        )
        for refusal in report.refused:
            label = refusal.name or refusal.record_id or "(no id)"
            self.stdout.write(f"Refused record {refusal.index} ({label}): {refusal.reason}")
        if report.refused:
            raise SystemExit(1)

"""Generate referrals only (patients, queue items, triage decisions), to measure the dashboard.

    python manage.py generate_referrals --count 1000000 [--days 730] [--seed 1]

The referrals part of ``manage.py generate_place`` (``reporting/place.py``), every one triaged:
no contacts, directory, IRR, Transfer of Care or clocks. Same rules: PostgreSQL only, not with
DEBUG off unless ``--force``, ``manage.py demo_data`` first.
"""

from typing import Any

from django.core.management.base import BaseCommand

from reporting.place import place_generate


class Command(BaseCommand):
    help = "Generate COUNT referrals with patients, queue items and triage decisions (PostgreSQL, for benchmarks)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--count", type=int, default=1_000_000)
        parser.add_argument("--days", type=int, default=730, help="Spread over the last DAYS days (default 730).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args: Any, count: int, days: int, seed: int, force: bool, **options: Any) -> None:
        place_generate(counts={"referrals": count}, seed=seed, days=days, force=force, stdout=self.stdout)

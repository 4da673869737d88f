"""Fill a database of its own with a whole place's data, to measure every screen at scale.

    python manage.py generate_place [--scale 1.0] [--days 730] [--seed 1] [--due-now N]

At scale 1: 1,000,000 referrals (patients, queue items, triage decisions) and 1,000,000
contacts, 50,000 IRR episodes with 100,000 visits, 50,000 Transfer of Care entries with their
delays, 10,000 directory services, signpostings, 5,000 open queue items and 100,000 open
escalation clocks, of which ``--due-now`` (default 1,000 at scale 1) are due for the poller.
PostgreSQL only (COPY), never with DEBUG off unless ``--force``; run ``manage.py demo_data``
first. What each app makes and how: ``reporting/place.py`` and each app's ``generate.py``.
"""

from typing import Any

from django.core.management.base import BaseCommand

from reporting.place import figures, place_generate


class Command(BaseCommand):
    help = "Generate a whole place's data (PostgreSQL, for benchmarks): --scale 1 is a million referrals."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1.0: the figures of issue 15; 0.01 for tests.")
        parser.add_argument("--days", type=int, default=730, help="Spread over the last DAYS days (default 730).")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--due-now", type=int, default=None, help="Open clocks left due (default 1,000 x scale).")
        parser.add_argument("--writers", type=int, default=2, help="Connections writing beside the generator (0: none).")
        parser.add_argument("--force", action="store_true", help="Run even when DEBUG is off.")

    def handle(self, *args: Any, scale: float, days: int, seed: int, due_now: int | None, writers: int, force: bool,
               **options: Any) -> None:
        place_generate(counts=figures(scale, due_now), seed=seed, days=days, force=force, stdout=self.stdout,
                       writers=writers)

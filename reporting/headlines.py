"""The dashboard's headline figures: what a manager wants first, whatever period the page shows.

Referrals today and this week take one query; the rest are read from the "now" figures the page
has already worked out, so they cannot disagree with the charts below them.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from ccc.models import User
from ccc.reporting import Period, PeriodKind, Scope
from referrals.selectors import referrals_received
from reporting.selectors import Shown, figures_for


@dataclass(frozen=True)
class Headline:
    label: str
    value: int
    # The figure it comes from, for the link to its chart and numbers.
    slug: str
    detail: str = ""


def _total(shown: dict[str, Shown], slug: str, key: str) -> int | None:
    if slug not in shown:
        return None
    return sum(row[key] or 0 for row in shown[slug].rows)


def headlines(*, shown: list[Shown], scope: Scope, fetched_by: User) -> list[Headline]:
    """Referrals today and this week (UK local time, in ``scope``), waiting and overdue for triage now,
    escalations live, MFFD patients still in hospital and free places today (the last two only for
    those who see system-wide figures)."""
    today = timezone.localdate()
    week, day = Period.around(PeriodKind.WEEK, today), Period.around(PeriodKind.DAY, today)
    counts = referrals_received(week, scope).aggregate(
        week=Count("id"), today=Count("id", filter=Q(received_at__gte=day.start, received_at__lt=day.end))
    )
    allowed = figures_for(fetched_by=fetched_by)
    by_slug = {item.figure.slug: item for item in shown if item.figure in allowed}
    found = [
        Headline("Referrals today", counts["today"], "referrals-per-day", day.label),
        Headline("Referrals this week", counts["week"], "referrals-per-day", f"From {week.first:%A %-d %B}"),
    ]
    for label, slug, key, detail in (
        ("Waiting for triage now", "triage-waiting-now", "waiting", "Not yet claimed"),
        ("Overdue for triage now", "triage-waiting-now", "overdue", "Past their triage target"),
        ("Escalations live", "escalations-live-now", "live", "Waiting for an answer"),
        ("Ready to go, still in hospital", "mffd-today", "patients", "Medically fit for discharge (MFFD)"),
        ("Beds and places free today", "mffd-today", "free_places", "Intermediate care, discharge to assess, home care"),
    ):
        value = _total(by_slug, slug, key)
        if value is not None:
            found.append(Headline(label, value, slug, detail))
    return found

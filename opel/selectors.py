"""Reads for system escalation: every partner's level with its action cards, the changes, a day's summary."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, can
from opel.measures import MEASURES, measured
from opel.models import ActionCard, LevelChange, Partner, Trigger

RECENT_CHANGES = 50


def partners_now(*, fetched_by: User) -> list[Partner]:
    """Each partner with its level, and the action card of that level as ``card`` (None if none)."""
    if not can(fetched_by, Action.SYSTEM_LEVEL_VIEW):
        return []
    partners = list(Partner.objects.prefetch_related(Prefetch("action_cards", queryset=ActionCard.objects.all())))
    for partner in partners:
        partner.card = next((card for card in partner.action_cards.all() if card.level == partner.level), None)
    return partners


def live_figures(*, fetched_by: User) -> list[tuple[str, int]]:
    """The figures the triggers watch, as they stand now, in words."""
    if not can(fetched_by, Action.SYSTEM_LEVEL_VIEW):
        return []
    values = measured(Trigger.objects.values_list("measure", flat=True).distinct())
    return [(MEASURES[code][0], values[code]) for code in MEASURES if code in values]


def changes_recent(*, fetched_by: User, limit: int = RECENT_CHANGES) -> QuerySet[LevelChange]:
    if not can(fetched_by, Action.SYSTEM_LEVEL_VIEW):
        return LevelChange.objects.none()
    return LevelChange.objects.select_related("partner", "changed_by").order_by("-changed_at", "-pk")[:limit]


@dataclass(frozen=True)
class DayRow:
    partner: str
    kind: str
    level_at_start: int
    highest: int
    level_at_end: int
    changes: int
    last_reason: str


def day_summary(*, day: date, fetched_by: User) -> list[DayRow]:
    """Each partner's day: its level as the day began and ended, its highest, how many changes. Two queries."""
    if not can(fetched_by, Action.SYSTEM_LEVEL_VIEW):
        return []
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = start + timedelta(days=1)
    earlier = LevelChange.objects.filter(partner=OuterRef("pk"))
    partners = Partner.objects.annotate(
        # The level as the day began: the last change before it, else what the first change ever
        # changed from (a partner never changed is at its level).
        last_before=Subquery(earlier.filter(changed_at__lt=start).order_by("-changed_at", "-pk").values("level")[:1]),
        first_previous=Subquery(earlier.order_by("changed_at", "pk").values("previous_level")[:1]),
    ).order_by("name")
    during: dict[int, list[LevelChange]] = {}
    for change in LevelChange.objects.filter(changed_at__gte=start, changed_at__lt=end).order_by("changed_at", "pk"):
        during.setdefault(change.partner_id, []).append(change)
    rows = []
    for partner in partners:
        today = during.get(partner.pk, [])
        at_start = partner.last_before or partner.first_previous or partner.level
        rows.append(DayRow(
            partner=partner.name, kind=partner.get_kind_display(), level_at_start=at_start,
            highest=max([at_start, *(change.level for change in today)]),
            level_at_end=today[-1].level if today else at_start, changes=len(today),
            last_reason=today[-1].reason if today else "",
        ))
    return rows

"""Writes for system escalation: evaluate the triggers, set a level by hand, tell the leads of a rise."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ccc.audit import save_as
from ccc.models import User
from escalations.services import notification_send
from opel.measures import MEASURES, measured
from opel.models import LEVELS, LevelChange, Partner, Trigger

LEVEL_NAMES = dict(LEVELS)


def _triggered(partner: Partner, values: dict[str, int]) -> tuple[int, list[str]]:
    """The level the partner's met triggers ask for, and each met trigger in words."""
    level, reasons = 1, []
    for trigger in partner.triggers.all():
        value = values[trigger.measure]
        if trigger.is_met(value):
            level = max(level, trigger.level)
            reasons.append(f"{MEASURES[trigger.measure][0]}: {value} "
                           f"({trigger.get_comparison_display()} {trigger.threshold} means OPEL {trigger.level})")
    return level, reasons


def _move(partner: Partner, level: int, reason: str, actor: User | None, at: datetime) -> LevelChange | None:
    if level == partner.level:
        return None  # the reason stays the one the level changed for: no history row every sweep
    change = LevelChange(partner=partner, previous_level=partner.level, level=level, changed_at=at,
                         reason=reason[:1000] or "No trigger met", changed_by=actor)
    save_as(change, actor)
    partner.level, partner.level_since, partner.level_reason = level, at, change.reason
    save_as(partner, actor)
    if change.is_rise:
        notification_send(
            recipients=partner.leads.all(),
            topic=f"opel-change-{change.pk}",
            message=f"{partner.name} is now at {LEVEL_NAMES[level]}: {change.reason}",
            url=reverse("opel:system"),
        )
    return change


def _level_of(partner: Partner, values: dict[str, int]) -> tuple[int, str]:
    triggered, reasons = _triggered(partner, values)
    if partner.manual_level > triggered:
        return partner.manual_level, f"Set by hand: {partner.manual_reason}"
    return triggered, "; ".join(reasons)


@transaction.atomic
def levels_evaluate(*, actor: User | None = None, at: datetime | None = None) -> list[LevelChange]:
    """Every partner's level from its triggers (each live figure read once) and its level set by
    hand; a change is recorded and a rise tells the partner's leads once. Partners are locked, so
    two evaluations at once cannot both record the same change."""
    at = at or timezone.now()
    partners = list(Partner.objects.select_for_update().prefetch_related("triggers").order_by("pk"))
    values = measured(Trigger.objects.values_list("measure", flat=True).distinct())
    changes = []
    for partner in partners:
        level, reason = _level_of(partner, values)
        change = _move(partner, level, reason, actor, at)
        if change is not None:
            changes.append(change)
    return changes


@transaction.atomic
def partner_level_set(*, partner: Partner, level: int, reason: str, actor: User) -> Partner:
    """Set a partner's level by hand (the floor under its triggers), with a reason; level 1 with a
    reason hands the partner back to its triggers."""
    if level not in LEVEL_NAMES:
        raise ValidationError({"level": "Choose a level from 1 to 4."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the level is set by hand."})
    partner = Partner.objects.select_for_update().prefetch_related("triggers").get(pk=partner.pk)
    partner.manual_level, partner.manual_reason = level, reason.strip()[:500]
    save_as(partner, actor)
    values = measured(partner.triggers.values_list("measure", flat=True))
    new_level, why = _level_of(partner, values)
    _move(partner, new_level, why, actor, timezone.now())
    return partner

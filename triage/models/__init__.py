"""Duty triage, one module per concern: queues and routing, queue items and decisions, the rota.

Re-exported here, so the app label, the migrations and ``from triage.models import ...`` stay as they were.
"""

from triage.models.items import (
    PRIORITY_MEANING,
    PRIORITY_RANK,
    QUEUE_ORDER,
    Priority,
    QueueItem,
    QueueItemStatus,
    ResponseTarget,
    RiskLevel,
    SensitiveNoteView,
    TriageDecision,
    TriageOutcome,
)
from triage.models.queues import DutyQueue, OutOfHoursDate, OutOfHoursPeriod, RoutingRule
from triage.models.red_flags import RedFlagQuestion
from triage.models.rota import LONDON, STANDARD_SHIFTS, RotaEntry, Shift, shift_start_days

__all__ = [
    "LONDON",
    "PRIORITY_MEANING",
    "PRIORITY_RANK",
    "STANDARD_SHIFTS",
    "DutyQueue",
    "OutOfHoursDate",
    "OutOfHoursPeriod",
    "Priority",
    "QUEUE_ORDER",
    "QueueItem",
    "QueueItemStatus",
    "RedFlagQuestion",
    "ResponseTarget",
    "RiskLevel",
    "RotaEntry",
    "RoutingRule",
    "SensitiveNoteView",
    "Shift",
    "TriageDecision",
    "TriageOutcome",
    "shift_start_days",
]

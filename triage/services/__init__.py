"""Writes for duty triage, one module per concern: routing and notifying, claims, decisions, the rota.

Callers import this package (``from triage import services``): every service is named here.
"""

from triage.services.claims import (
    check_may_claim,
    queue_item_claim,
    queue_item_claim_next,
    queue_item_reassign,
    queue_item_release,
)
from triage.services.decisions import (
    RESPONSE_CLOCK,
    first_response_record,
    signposted_service,
    triage_decision_record,
)
from triage.services.leaving import queue_item_return, referral_cancel
from triage.services.rota import rota_entry_remove, rota_entry_set, shifts_standard_ensure
from triage.services.routing import (
    TRIAGE_CLOCK,
    is_out_of_hours,
    notify_pending_queue_items,
    queue_item_create,
    queue_item_notify,
    route_for,
)
from triage.services.urgency import (
    check_urgency,
    queue_item_urgency_change,
    triage_due_at,
    urgency_screen,
)

__all__ = [
    "RESPONSE_CLOCK",
    "TRIAGE_CLOCK",
    "check_may_claim",
    "check_urgency",
    "first_response_record",
    "is_out_of_hours",
    "notify_pending_queue_items",
    "queue_item_claim",
    "queue_item_claim_next",
    "queue_item_create",
    "queue_item_notify",
    "queue_item_reassign",
    "queue_item_release",
    "queue_item_return",
    "queue_item_urgency_change",
    "rota_entry_remove",
    "rota_entry_set",
    "referral_cancel",
    "route_for",
    "shifts_standard_ensure",
    "signposted_service",
    "triage_decision_record",
    "triage_due_at",
    "urgency_screen",
]

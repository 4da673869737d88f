"""Escalations' object rule, registered with ``ccc.permissions``."""

from typing import Any

from ccc.models import User
from ccc.permissions import Action, object_rule


@object_rule(Action.ESCALATION_ACKNOWLEDGE)
def on_the_rung(user: User, escalation: Any) -> bool:
    """Only the people an escalation was sent to acknowledge it."""
    return escalation.notifications.filter(recipient=user).exists()

"""The front desk's escalation clocks: a follow-up call waiting to be made, a transport request
waiting to be booked."""

from datetime import datetime, timedelta

from ccc.models import User
from escalations import services as escalation_services

# Escalation clock kinds: a call waiting to be made, a transport request waiting to be booked.
FOLLOW_UP_CALL_CLOCK = "follow_up_call"
TRANSPORT_CLOCK = "transport_booking"
# A request still unconfirmed this long before pick-up leaves time to chase the provider or
# arrange something else; at the pick-up time itself the patient has already been let down.
TRANSPORT_CONFIRM_BEFORE_PICKUP = timedelta(hours=2)


def front_desk_clock_start(
    subject, kind: str, *, due_at: datetime, started_at: datetime, label: str, url: str, actor: User | None
) -> None:
    """The front desk's clocks: on the default ladder, since calls and transport sit in no duty queue."""
    escalation_services.clock_start(
        subject=subject, kind=kind, due_at=due_at, started_at=started_at, label=label, url=url, actor=actor
    )

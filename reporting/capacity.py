"""Live capacity for the people who send and place work: call handlers, referrers, clinicians,
Transfer of Care and managers. Read from the records the teams work in; nothing is typed twice."""

from dataclasses import dataclass

from ccc.models import User
from ccc.permissions import Action, can
from ccc.reporting import Scope
from discharge.selectors import capacity_today
from irr.selectors import Capacity, team_capacity
from triage.selectors import triage_waiting_now

EVERY_QUEUE = Scope(None)


@dataclass(frozen=True)
class LiveCapacity:
    irr_teams: list[Capacity]  # open episodes and today's visits against each team's limits
    places: list  # pathway services (beds, home-care slots) with today's occupied, reserved, free
    duty_queues: list[dict]  # each queue's waiting count, in triage, overdue, longest wait


def live_capacity(*, fetched_by: User) -> LiveCapacity:
    """Every figure of the capacity page, system-wide: a fixed handful of queries however much data."""
    if not can(fetched_by, Action.CAPACITY_VIEW):
        return LiveCapacity([], [], [])
    return LiveCapacity(
        irr_teams=team_capacity(),
        places=list(capacity_today()),
        duty_queues=triage_waiting_now(None, EVERY_QUEUE),
    )

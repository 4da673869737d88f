"""Queue items and triage decisions for the place data generator (``manage.py generate_place``).

Rows are built here, but every decision intake and triage make comes from their own functions,
never a copy: the duty queue from ``route_for`` (out-of-hours routing and fallbacks included),
the due time from ``triage_due_at`` (the queue's target for the urgency), the stored urgency
rank from ``QueueItem.prioritise`` and an accepted decision's respond-by from
``response_target``. Each answer is remembered for its inputs (a need in or out of hours; a
queue and urgency), so the questions stay few and COPY keeps its speed.
"""

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from triage.models import OutOfHoursDate, OutOfHoursPeriod, Priority, QueueItem, TriageDecision
from triage.selectors import response_target
from triage.services import route_for
from triage.services.routing import out_of_hours_in
from triage.services.urgency import triage_due_at

# The urgency a call handler's screen gives: mostly routine, a few emergencies.
URGENCY_WEIGHTS = {Priority.EMERGENCY: 3, Priority.VERY_URGENT: 10, Priority.URGENT: 30, Priority.ROUTINE: 57}
# Triage outcomes in a fixed cycle, so the accepted ones can be counted before any is made. A
# transfer leaves the item waiting in another queue, so the generated decisions end triage.
OUTCOME_CYCLE = ["accept", "no_further_action", "refer_on", "signpost", "accept",
                 "no_further_action", "refer_on", "accept", "no_further_action", "signpost"]
SIGNPOSTED_TO = ["Age UK befriending", "Carers' centre", "Citizens Advice", "Pharmacy first"]
REFERRED_TO = ["Community mental health team", "Falls clinic", "Heart failure nurses", "Social care duty team"]
EPOCH = datetime(2000, 1, 1).astimezone()


def accepted(index: int) -> bool:
    return OUTCOME_CYCLE[index % len(OUTCOME_CYCLE)] == TriageDecision.Outcome.ACCEPT


class Triage:
    """Intake's and triage's own answers, each asked once for its inputs."""

    def __init__(self) -> None:
        # Read once; out_of_hours_in is is_out_of_hours's own rule over them.
        dates = set(OutOfHoursDate.objects.values_list("date", flat=True))
        periods = list(OutOfHoursPeriod.objects.all())
        self._out_of_hours = cache(lambda at: out_of_hours_in(at, dates=dates, periods=periods))
        self._routes: dict[tuple, Any] = {}
        # The due time's distance from routing depends on the queue and urgency only.
        self.due_after = cache(lambda queue, urgency: triage_due_at(queue=queue, urgency=urgency, at=EPOCH) - EPOCH)
        self.target = cache(lambda queue, priority: response_target(queue=queue, priority=priority))

    @staticmethod
    @cache
    def rank(urgency: str) -> int:
        """The stored rank the queue orders by, as the services set it with the urgency."""
        item = QueueItem()
        item.prioritise(urgency)
        return item.urgency_rank

    def route(self, need, at: datetime):
        """``route_for(need, at=...)``: it depends on the moment only through is_out_of_hours."""
        key = (need.pk, self._out_of_hours(at))
        if key not in self._routes:
            self._routes[key] = route_for(need, at=at)[0]
        return self._routes[key]

    def item_row(self, *, pk: int, referral_id: int, queue, urgency: str, received: datetime, status: str,
                 claimed_by: int | None = None, claimed_at: datetime | None = None) -> dict:
        return {
            "id": pk, "referral": referral_id, "queue": queue.pk, "status": status, "routed_at": received,
            "due_at": received + self.due_after(queue, urgency), "urgency": urgency,
            "urgency_rank": self.rank(urgency), "claimed_by": claimed_by, "claimed_at": claimed_at,
            # Set, so the notification sweep leaves these alone.
            "notified_at": received,
        }

    def decision_row(self, *, pk: int, item_id: int, queue, priority: str, outcome: str, clinician_id: int,
                     decided: datetime, signposted_to: str = "") -> dict:
        """A decision as triage_decision_record makes it: each outcome names what it needs and only that."""
        row = {
            "id": pk, "queue_item": item_id, "priority": priority, "outcome": outcome,
            "clinical_note": "Generated", "decided_by": clinician_id, "decided_at": decided,
        }
        if outcome == TriageDecision.Outcome.REFER_ON:
            row["referred_to"] = REFERRED_TO[pk % len(REFERRED_TO)]
        elif outcome == TriageDecision.Outcome.SIGNPOST:
            # A directory service when there is one; the decision's own free text otherwise.
            row["signposted_to"] = signposted_to or SIGNPOSTED_TO[pk % len(SIGNPOSTED_TO)]
        elif outcome == TriageDecision.Outcome.ACCEPT:
            target = self.target(queue, priority)
            if target is not None:
                row["respond_by"] = decided + timedelta(minutes=target.response_minutes)
        return row


def first_response(row: dict, *, at: datetime, by: int) -> None:
    """The first response reached the patient (first_response_record, as the first visit records it)."""
    if row.get("respond_by") is not None:
        row["first_response_at"], row["first_response_by"] = at, by

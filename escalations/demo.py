"""Escalation demo data for ``manage.py demo_data``: a ladder per demo queue and a default one.

The queues and users are given by the command: the engine's demo, like the engine, imports no
domain app.
"""

from ccc.audit import save_as
from ccc.demo import get_or_create
from escalations.models import EscalationLadder, EscalationRung

# Escalation ladders: name, minutes after the previous rung (the first: after the due time), who.
LADDER_RUNGS = [
    ("Duty clinician", 0, EscalationRung.People.QUEUE_CLINICIANS, []),
    ("Duty lead", 15, EscalationRung.People.QUEUE_LEAD, []),
    ("Service manager", 30, EscalationRung.People.NAMED, ["manager"]),
    ("On-call manager", 30, EscalationRung.People.NAMED, ["manager.oncall"]),
]


def ladders_load(queues: dict, users: dict) -> None:
    """A ladder per demo queue and a default one; an administrator's edits are left alone."""
    for queue in [None, *queues.values()]:
        name = f"{queue} escalation" if queue else "Default escalation"
        ladder, made = get_or_create(EscalationLadder, queue=queue, defaults={"name": name})
        if not made:
            continue
        for position, (rung_name, minutes, people, usernames) in enumerate(LADDER_RUNGS, start=1):
            rung = EscalationRung(
                ladder=ladder, position=position, name=rung_name, minutes_after_previous=minutes, people=people
            )
            save_as(rung, None)
            rung.named_users.set([users[username] for username in usernames])

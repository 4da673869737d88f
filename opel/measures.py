"""The live figures a trigger can watch, each read from the records the teams work in.

Each measure is a function of no arguments giving a whole number now. Evaluating the triggers
reads each measure that some trigger uses once, however many partners watch it.
"""

from collections.abc import Callable


def _free_places(pathway: int) -> Callable[[], int]:
    def measure() -> int:
        from discharge.selectors import capacity_today

        return sum(service.free for service in capacity_today().filter(pathway=pathway))

    return measure


def _mffd_in_hospital() -> int:
    from discharge.selectors import mffd_by_pathway

    return sum(mffd_by_pathway().values())


def _stranded(kind: str) -> Callable[[], int]:
    def measure() -> int:
        from discharge.selectors import stranded_counts

        return stranded_counts()[kind]

    return measure


def _queues(key: str, combine: Callable) -> Callable[[], int]:
    def measure() -> int:
        from ccc.reporting import Scope
        from triage.selectors import triage_waiting_now

        return combine([row[key] or 0 for row in triage_waiting_now(None, Scope(None))] or [0])

    return measure


def _irr_teams_full() -> int:
    from irr.selectors import team_capacity

    return sum(1 for team in team_capacity() if team.is_full)


MEASURES: dict[str, tuple[str, Callable[[], int]]] = {
    "free_beds_pathway_2": ("Free intermediate-care beds (pathway 2)", _free_places(2)),
    "free_beds_pathway_3": ("Free discharge-to-assess beds (pathway 3)", _free_places(3)),
    "free_slots_pathway_1": ("Free home-care slots (pathway 1)", _free_places(1)),
    "mffd_in_hospital": ("Medically fit patients still in hospital", _mffd_in_hospital),
    "stranded": ("Stranded patients (in hospital 7 days or more)", _stranded("stranded")),
    "super_stranded": ("Super-stranded patients (21 days or more)", _stranded("super_stranded")),
    "referrals_overdue": ("Referrals overdue for triage", _queues("overdue", sum)),
    "longest_wait_minutes": ("Longest wait in a duty queue (minutes)", _queues("longest_wait_minutes", max)),
    "irr_teams_full": ("IRR teams at capacity", _irr_teams_full),
}
MEASURE_CHOICES = [(code, label) for code, (label, _) in MEASURES.items()]


def measured(codes) -> dict[str, int]:
    """The value now of each measure named."""
    return {code: MEASURES[code][1]() for code in set(codes)}

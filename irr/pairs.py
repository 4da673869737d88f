"""The pairs rule: when every visit of an episode needs two people (one may be a support worker).

One place decides it, from a short list of reasons; the visit service, the visit form and the
episode page all ask ``pairs_reasons``. Any reason is enough: the lone-working tick, any high
risk or safeguarding concern in the triage risk assessment, or a risk-to-staff safety alert.
"""

from collections.abc import Callable

from irr.models import Episode
from referrals.selectors.alerts import patient_has_risk_to_staff_alert


def _lone_working_ticked(episode: Episode) -> str:
    return "lone-working risk recorded" if episode.lone_working_risk else ""


def _high_risk_assessment(episode: Episode) -> str:
    decision = episode.source_decision
    if decision is None or not decision.is_high_risk:
        return ""
    return "high risk in the triage risk assessment"


def _risk_to_staff_alert(episode: Episode) -> str:
    # A list annotates it for every row at once (with_risk_to_staff_alert); one episode asks.
    found = getattr(episode, "risk_to_staff_alert", None)
    if found is None:
        found = patient_has_risk_to_staff_alert(episode.patient)
    return "risk-to-staff safety alert on the patient" if found else ""


# Each returns why the episode's visits need two people, or "" when it does not apply.
PAIR_REASONS: list[Callable[[Episode], str]] = [_lone_working_ticked, _high_risk_assessment, _risk_to_staff_alert]


def pairs_reasons(episode: Episode) -> list[str]:
    """Why every visit of this episode needs two people; empty when one may go alone."""
    return [reason for reason in (check(episode) for check in PAIR_REASONS) if reason]


def pairs_summary(episode: Episode) -> str:
    """The reasons as one sentence for a page or an error message ("" when none apply)."""
    reasons = pairs_reasons(episode)
    if not reasons:
        return ""
    return "Visits in pairs (one may be a support worker): " + "; ".join(reasons)

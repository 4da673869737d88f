"""IRR's section of the patient page (registered with referrals.patient_page at start-up)."""

from ccc.models import User
from ccc.permissions import Action, can
from irr import selectors
from referrals.patient_page import register_section, register_summary_part


def open_episodes(patient, fetched_by: User) -> dict | None:
    """The patient's open IRR episodes the person asking may see, each with its next planned visit."""
    if not can(fetched_by, Action.EPISODE_VIEW):
        return None
    return {"episodes": list(selectors.patient_open_episodes(patient=patient, fetched_by=fetched_by))}


register_section("irr_episodes", 20, open_episodes, "irr/_patient_section.html")


def episode_summary(patient, fetched_by: User) -> dict:
    """The triage page's summary: the patient's open episodes, whichever team runs them."""
    return {"episodes": selectors.patient_episode_summary(patient=patient, fetched_by=fetched_by)}


register_summary_part("open_episodes", 20, episode_summary, "irr/_summary_episodes.html")

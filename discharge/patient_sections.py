"""Transfer of Care's section of the patient page (registered with referrals.patient_page at start-up)."""

from ccc.models import User
from ccc.permissions import Action, can
from discharge import selectors
from referrals.patient_page import register_section, register_summary_part


def register_entries(patient, fetched_by: User) -> dict | None:
    """The patient's stays on the Transfer of Care register, the latest first, each with its current delay."""
    if not can(fetched_by, Action.TOC_VIEW):
        return None
    return {"entries": list(selectors.patient_entries(patient=patient, fetched_by=fetched_by))}


register_section("toc_register", 30, register_entries, "discharge/_patient_section.html")


def hospital_stays(patient, fetched_by: User) -> dict:
    """The triage page's summary: the patient's hospital stays on the register."""
    return {"stays": selectors.patient_hospital_stays(patient=patient, fetched_by=fetched_by)}


register_summary_part("hospital_stays", 30, hospital_stays, "discharge/_summary_stays.html")

"""The patient page's sections, each provided by the app that owns what it shows.

An app registers a section at start-up (from its ``patient_sections`` module, imported by its
``AppConfig.ready()``): a name, an order on the page, ``fetch(patient, fetched_by)`` returning the
section's context or None when the person asking may not see it (the page leaves it out), and the
template that shows it. So referrals knows nothing of IRR or Transfer of Care, and a new capability
adds its open work to the page without touching this app.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ccc.models import User
from ccc.permissions import Action, can
from referrals.models import Patient

Fetch = Callable[[Patient, User], dict[str, Any] | None]


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    fetch: Fetch
    template: str


@dataclass(frozen=True)
class ShownSection:
    """One section as the page shows it: its template and what ``fetch`` found (``context``)."""

    name: str
    template: str
    context: dict[str, Any]


SECTIONS: dict[str, Section] = {}
# The triage page's summary of the whole person (issue 13): previous referrals and outcomes, open
# episodes, hospital stays, recent contacts. Safety alerts belong first: register them as
# ``register_summary_part("alerts", SUMMARY_ALERTS_ORDER, ...)`` and the summary shows them at the top.
SUMMARY_PARTS: dict[str, Section] = {}
SUMMARY_ALERTS_ORDER = 5


def _register(registry: dict[str, Section], what: str, section: Section) -> None:
    if registry.get(section.name, section) != section:
        raise ValueError(f"The {what} already has a part named {section.name!r}")
    registry[section.name] = section


def _shown(registry: dict[str, Section], patient: Patient, fetched_by: User) -> list[ShownSection]:
    shown = []
    for section in sorted(registry.values(), key=lambda section: (section.order, section.name)):
        context = section.fetch(patient, fetched_by)
        if context is not None:
            shown.append(ShownSection(section.name, section.template, context))
    return shown


def register_section(name: str, order: int, fetch: Fetch, template: str) -> None:
    """Add a section to the patient page; one name, one section."""
    _register(SECTIONS, "patient page", Section(name, order, fetch, template))


def register_summary_part(name: str, order: int, fetch: Fetch, template: str) -> None:
    """Add a part to the patient summary on the triage page; one name, one part."""
    _register(SUMMARY_PARTS, "patient summary", Section(name, order, fetch, template))


def patient_sections(*, patient: Patient, fetched_by: User) -> list[ShownSection]:
    """The sections ``fetched_by`` may see, in page order: each one query (the page's count is pinned)."""
    return _shown(SECTIONS, patient, fetched_by)


def patient_summary_parts(*, patient: Patient, fetched_by: User) -> list[ShownSection]:
    """The summary's parts, each one bounded query, for someone who may open this patient's record
    (a legitimate relationship: ccc.patient_access); nothing for anyone else."""
    if not can(fetched_by, Action.PATIENT_VIEW, patient):
        return []
    return _shown(SUMMARY_PARTS, patient, fetched_by)

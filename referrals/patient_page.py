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


def register_section(name: str, order: int, fetch: Fetch, template: str) -> None:
    """Add a section to the patient page; one name, one section."""
    section = Section(name, order, fetch, template)
    if SECTIONS.get(name, section) != section:
        raise ValueError(f"The patient page already has a section named {name!r}")
    SECTIONS[name] = section


def patient_sections(*, patient: Patient, fetched_by: User) -> list[ShownSection]:
    """The sections ``fetched_by`` may see, in page order: each one query (the page's count is pinned)."""
    shown = []
    for section in sorted(SECTIONS.values(), key=lambda section: (section.order, section.name)):
        context = section.fetch(patient, fetched_by)
        if context is not None:
            shown.append(ShownSection(section.name, section.template, context))
    return shown

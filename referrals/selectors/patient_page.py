"""One patient's page: everything the front desk knows about them, and the sections other apps add."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils import timezone

from ccc.models import User
from ccc.permissions import Action, can
from referrals.models import Contact, FrequentContactRule, Patient, Referral
from referrals.patient_page import ShownSection, patient_sections
from referrals.selectors.contacts import current_contacts, frequent_contact_rule
from referrals.selectors.patients import patient_get
from referrals.selectors.referrals import open_referrals


@dataclass
class PatientSummary:
    """Everything the front desk knows about one patient, on one page.

    Other capabilities add their open work as ``sections`` (referrals.patient_page), so nobody asks
    the patient to repeat themselves. A section the person asking may not see is left out; one
    with nothing to show is there, empty.
    """

    patient: Patient
    open_referrals: list[Referral]
    contacts: list[Contact]
    recent_contact_count: int
    rule: FrequentContactRule
    sections: list[ShownSection] = field(default_factory=list)

    @property
    def is_frequent_contact(self) -> bool:
        return self.recent_contact_count >= self.rule.min_contacts

    def section(self, name: str) -> dict[str, Any] | None:
        """The context of the section called ``name``; None when it is not on this person's page."""
        return next((section.context for section in self.sections if section.name == name), None)


def patient_summary(*, public_id, fetched_by: User, contact_limit: int = 100) -> PatientSummary:
    """One patient's page: each section one query, and only the sections the person's role may see."""
    patient = patient_get(public_id=public_id, fetched_by=fetched_by)
    rule = frequent_contact_rule()
    contacts = current_contacts().filter(patient=patient).select_related("recorded_by", "referral", "patient")
    since = timezone.now() - timedelta(days=rule.within_days)
    return PatientSummary(
        patient=patient,
        open_referrals=list(open_referrals(patient=patient, fetched_by=fetched_by)),
        contacts=list(contacts[:contact_limit]) if can(fetched_by, Action.CONTACT_VIEW) else [],
        recent_contact_count=contacts.filter(started_at__gte=since).count(),
        rule=rule,
        sections=patient_sections(patient=patient, fetched_by=fetched_by),
    )

"""Demo system escalation: the place's four partners, their triggers on the live figures, action
cards, and named leads; then one evaluation, so the page opens on real levels."""

from ccc.audit import save_as
from ccc.demo import get_or_create
from opel.models import ActionCard, Partner, Trigger
from opel.services import levels_evaluate

# name, kind, triggers (measure, comparison, threshold, level), action cards by level
PARTNERS = [
    ("Northfield Acute and Community NHS Trust (acute)", Partner.Kind.ACUTE, [
        ("mffd_in_hospital", "at_least", 10, 2), ("mffd_in_hospital", "at_least", 20, 3),
        ("super_stranded", "at_least", 5, 3), ("free_beds_pathway_2", "at_most", 0, 4),
    ], {
        2: "Board round by 10:00 on every ward\nTransfer of Care team reviews every MFFD patient daily",
        3: "Director on call chairs a system call at 11:00 and 15:00\nOpen the discharge lounge early",
        4: "Stop elective admissions that need a bed overnight\nSystem call every 4 hours",
    }),
    ("Northfield community services", Partner.Kind.COMMUNITY, [
        ("irr_teams_full", "at_least", 1, 2), ("free_slots_pathway_1", "at_most", 0, 3),
        ("referrals_overdue", "at_least", 5, 3),
    ], {
        2: "IRR leads review caseloads for early discharge from IRR",
        3: "Redeploy community nurses to IRR visits\nDuty leads triage every waiting referral within the hour",
    }),
    ("Northfield Mental Health and Learning Disability NHS Trust", Partner.Kind.MENTAL_HEALTH, [
        ("longest_wait_minutes", "at_least", 240, 2), ("longest_wait_minutes", "at_least", 480, 3),
    ], {2: "Crisis team lead reviews the duty queue", 3: "Call in the second on-call clinician"}),
    ("Northfield Council adult social care", Partner.Kind.SOCIAL_CARE, [
        ("free_beds_pathway_3", "at_most", 0, 3),
    ], {3: "Spot-purchase discharge-to-assess beds\nBrokerage extends hours to 20:00"}),
]


def partners_load(users: dict) -> None:
    leads = [users["manager.oncall"], users["manager"]]
    for name, kind, triggers, cards in PARTNERS:
        partner, created = get_or_create(Partner, name=name, defaults={"kind": kind})
        if not created:
            continue
        partner.leads.set(leads)
        for measure, comparison, threshold, level in triggers:
            save_as(Trigger(partner=partner, measure=measure, comparison=comparison, threshold=threshold, level=level),
                    None)
        for level, actions in cards.items():
            save_as(ActionCard(partner=partner, level=level, actions=actions), None)
    levels_evaluate()

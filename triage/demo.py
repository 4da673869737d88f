"""Duty triage demo data for ``manage.py demo_data``: duty queues, needs and their routing, out
of hours, response targets, today's rota, and demo referrals (made through intake) waiting,
claimed and triaged in the queues, one of each outcome."""

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from ccc.audit import save_as
from ccc.demo import DEMO_KEY_PREFIX, get_or_create
from referrals import services as referral_services
from referrals.models import NeedCategory, Patient, Referral
from triage import services as triage_services
from triage.demo_red_flags import red_flags_load
from triage.models import DutyQueue, OutOfHoursDate, OutOfHoursPeriod, QueueItem, RoutingRule, TriageDecision

# code, name, team, switched on, triage target in minutes.
QUEUES = [
    # Urgent community response: within 2 hours.
    ("physical-health", "Physical health duty queue", "IRR physical health", True, 120),
    # Mental health crisis, very urgent: within 4 hours.
    ("mental-health", "Mental health duty queue", "IRR mental health", True, 240),
    # No national standard for learning disability: a local choice.
    ("learning-disability", "Learning disability duty queue", "IRR learning disability", True, 240),
    # Social care and out of hours join in later phases.
    ("social-care", "Social care duty queue", "Adult social care", False, 1440),
    ("out-of-hours", "Out-of-hours duty queue", "Out-of-hours service", False, 120),
]

# code, name, group, queue code, fallback queue code.
NEEDS = [
    ("falls", "Falls", "Physical health", "physical-health", None),
    ("reduced-mobility", "Reduced mobility", "Physical health", "physical-health", None),
    ("wound-care", "Wound care", "Physical health", "physical-health", None),
    ("urgent-community-response", "Urgent community response (2-hour)", "Physical health", "physical-health", None),
    ("early-supported-discharge", "Early supported discharge", "Physical health", "physical-health", None),
    ("mh-crisis", "Mental health crisis", "Mental health", "mental-health", None),
    ("low-mood-anxiety", "Low mood or anxiety", "Mental health", "mental-health", None),
    ("dementia-distress", "Dementia with distress", "Mental health", "mental-health", None),
    ("ld-support", "Learning disability support", "Learning disability", "learning-disability", None),
    ("behaviour-that-challenges", "Behaviour that challenges", "Learning disability", "learning-disability", None),
    ("care-package-breakdown", "Care package breakdown", "Social care", "social-care", "physical-health"),
    ("carer-breakdown", "Carer breakdown", "Social care", "social-care", "physical-health"),
    # To be signposted to the voluntary-sector network; triaged by physical health for now.
    ("just-to-talk", "Just to talk (loneliness)", "Wellbeing", "physical-health", None),
]


def queues_and_needs_load(teams: dict) -> tuple[dict, dict]:
    """The demo duty queues by code, and the needs by code, each with its routing rule."""
    queues = {
        code: get_or_create(
            DutyQueue,
            code=code,
            defaults={"name": name, "team": teams[team], "is_active": active, "triage_target_minutes": target},
        )[0]
        for code, name, team, active, target in QUEUES
    }
    needs = {}
    for code, name, group, queue_code, fallback_code in NEEDS:
        need, _ = get_or_create(NeedCategory, code=code, defaults={"name": name, "group": group})
        get_or_create(
            RoutingRule,
            need=need,
            defaults={
                "queue": queues[queue_code],
                "fallback_queue": queues[fallback_code] if fallback_code else None,
            },
        )
        needs[code] = need
    red_flags_load(needs)
    return queues, needs


@dataclass(frozen=True)
class DemoReferral:
    patient: int  # index into PATIENTS
    need: str
    referrer_type: str
    referrer_name: str
    referrer_organisation: str
    reason: str
    minutes_ago: int
    channel: str = Referral.Channel.PHONE
    needs_description: str = ""
    claimed_by: str = ""  # username
    outcome: str = ""
    priority: str = ""
    urgency: str = ""  # as the call handler's screen found it
    clinical_note: str = ""
    # The rest of the triage decision: risk assessment and what the outcome needs (transfer_to: a queue code).
    decision: tuple[tuple[str, Any], ...] = ()
    # Left the queue untriaged: "withdrawn" by the referrer, or "returned" by the claiming clinician
    # (return_note says why, in words for the referrer).
    leaves: str = ""
    return_note: str = ""


R = Referral.ReferrerType
O = TriageDecision.Outcome  # noqa: E741
P = TriageDecision.Priority

REFERRALS = [
    # Waiting, overdue (physical health target is 2 hours).
    DemoReferral(
        0, "falls", R.GP, "Dr Priya Nair", "Northfield Medical Centre",
        "Fell at home overnight, found on the floor by a neighbour this morning. No obvious injury "
        "but unsteady and unable to get up from a chair unaided.",
        minutes_ago=180, needs_description="Assessment at home today; may need equipment and a package of care.",
    ),
    # Waiting, due soon.
    DemoReferral(
        1, "urgent-community-response", R.PROFESSIONAL, "Dawn Pike, scheme manager", "Elm Court Sheltered Housing",
        "New confusion since yesterday, not eating or drinking much. Temperature 37.9. "
        "Wants to stay at home rather than go to hospital.",
        minutes_ago=25, urgency="very_urgent",
    ),
    # Waiting, overdue (mental health target is 4 hours).
    DemoReferral(
        2, "mh-crisis", R.CARER, "Anna Kowalski (wife)", "",
        "Husband has not slept for three days, talking about not wanting to be here. "
        "Known to the community mental health team last year.",
        minutes_ago=300, urgency="urgent",
    ),
    # Waiting.
    DemoReferral(
        3, "low-mood-anxiety", R.PATIENT, "Priya Sharma", "",
        "Panic attacks most days since starting a new job, not sleeping. Asking for help before it gets worse.",
        minutes_ago=40, channel=Referral.Channel.EMAIL,
    ),
    # Waiting.
    DemoReferral(
        4, "ld-support", R.PROFESSIONAL, "Mark Ellis, supported living manager", "Willows Supported Living",
        "Lives in supported living. Recent change of support staff; increasingly withdrawn and refusing meals.",
        minutes_ago=70,
    ),
    # Waiting, routed to the fallback: social care is switched off.
    DemoReferral(
        5, "care-package-breakdown", R.CARER, "Simon Fairweather (son)", "",
        "Home care agency has handed back the package from tomorrow. Mum needs help with washing, "
        "dressing and meals four times a day; I live two hours away.",
        minutes_ago=50, needs_description="Care at home from tomorrow morning.",
    ),
    # Claimed.
    DemoReferral(
        6, "wound-care", R.WARD, "Staff Nurse Tom Briggs", "Ward 7, Northfield General Hospital",
        "Discharged today with a leg ulcer needing dressings every other day; first dressing due tomorrow.",
        minutes_ago=65, channel=Referral.Channel.ELECTRONIC, claimed_by="clinician.physical",
    ),
    DemoReferral(
        7, "dementia-distress", R.CARE_HOME, "Nurse Grace Adeyemi", "Maple Lodge Care Home",
        "Known dementia. Very distressed for two days, calling out at night and hitting out at staff during care.",
        minutes_ago=120, claimed_by="clinician.mental",
    ),
    DemoReferral(
        8, "behaviour-that-challenges", R.CARER, "Claire Ashworth (mother)", "",
        "Son has autism and a learning disability. Increasingly aggressive at home since his day "
        "centre closed; broke a window last night.",
        minutes_ago=95, claimed_by="clinician.ld",
    ),
    # Triaged, one of each outcome.
    DemoReferral(
        9, "reduced-mobility", R.GP, "Dr Ian Morley", "Riverside Surgery",
        "Much less mobile over the past week after a chest infection; struggling with stairs and the toilet.",
        minutes_ago=420, claimed_by="clinician.physical",
        outcome=O.ACCEPT, priority=P.URGENT,
        clinical_note="Spoke to daughter. Safe overnight with family. IRR visit within 2 hours for "
        "mobility and falls risk assessment; OT to consider equipment.",
    ),
    DemoReferral(
        0, "early-supported-discharge", R.WARD, "Sister Louise Grant", "Frailty unit, Northfield General Hospital",
        "Medically optimised after a fractured wrist. Ready for discharge home with early supported discharge.",
        minutes_ago=1500, channel=Referral.Channel.ELECTRONIC, claimed_by="clinician.physical",
        outcome=O.ACCEPT, priority=P.ROUTINE,
        clinical_note="Accepted for early supported discharge: first visit the day after discharge, "
        "therapy and reablement for up to six weeks.",
    ),
    DemoReferral(
        6, "falls", R.PATIENT, "Kwame Mensah", "",
        "Fell in the garden, now on the floor and cannot get up. Pain in the left hip.",
        minutes_ago=240, claimed_by="clinician.physical",
        outcome=O.ACCEPT, priority=P.EMERGENCY,
        clinical_note="Possible fractured neck of femur: 999 called with the patient on the line. "
        "Ambulance on its way; son with him.",
    ),
    DemoReferral(
        9, "mh-crisis", R.GP, "Dr Priya Nair", "Northfield Medical Centre",
        "Escalating low mood and thoughts of self-harm since bereavement; no current plan.",
        minutes_ago=360, claimed_by="clinician.mental",
        outcome=O.REFER_ON, priority=P.URGENT,
        clinical_note="Referred on to the crisis and home treatment team for assessment within 24 hours. "
        "Safety plan agreed with the patient by phone.",
        decision=(("risk_to_self", "medium"), ("referred_to", "Crisis and home treatment team")),
    ),
    DemoReferral(
        1, "just-to-talk", R.PATIENT, "Arthur Pennington", "",
        "Lives alone since his wife died, calls most days. Says he just wants someone to talk to.",
        minutes_ago=600, claimed_by="clinician.physical",
        outcome=O.SIGNPOST, priority=P.ROUTINE,
        clinical_note="No health or care need today. Signposted to Northfield Voluntary Action "
        "befriending service and the Tuesday lunch club; consented to a call from them.",
        decision=(("signposted_to", "Northfield Voluntary Action befriending service"),),
    ),
    DemoReferral(
        4, "ld-support", R.PROFESSIONAL, "Mark Ellis, supported living manager", "Willows Supported Living",
        "Wondered if the team could review his communication passport.",
        minutes_ago=2880, channel=Referral.Channel.EMAIL, claimed_by="clinician.ld",
        outcome=O.NO_FURTHER_ACTION, priority=P.ROUTINE,
        clinical_note="Already open to the community learning disability team, who are reviewing it next "
        "week. No rapid response need; referrer told.",
    ),
    # Routed to the fallback while social care is switched off, then triaged.
    DemoReferral(
        7, "carer-breakdown", R.CARER, "Bernadette O'Donnell (niece)", "",
        "Main family carer admitted to hospital; nobody else able to visit daily.",
        minutes_ago=1440, claimed_by="clinician.physical",
        outcome=O.REFER_ON, priority=P.ROUTINE,
        clinical_note="Care home confirms her needs are met there; niece's concern is visiting. "
        "Referred on to adult social care for a carer's assessment.",
        decision=(("referred_to", "Adult social care: carer's assessment"),),
    ),
    # Issue 5: a high-risk mental health crisis started as an IRR episode (visits in pairs), and a
    # transfer from mental health to learning disability, waiting there with its history.
    DemoReferral(
        3, "mh-crisis", R.PROFESSIONAL, "PC Dawn Hughes", "Northfield Police",
        "Found distressed on the footbridge, now home with his brother. Threatened his neighbour earlier.",
        minutes_ago=180, claimed_by="teamlead",
        outcome=O.ACCEPT, priority=P.VERY_URGENT,
        clinical_note="Safeguarding referral made for the neighbour dispute. Home treatment visit within 4 hours, "
        "in pairs: threats to others earlier today.",
        decision=(("risk_to_self", "high"), ("risk_to_others", "high"), ("safeguarding_concern", True),
                  ("lone_working_risk", True), ("note_is_sensitive", True)),
    ),
    DemoReferral(
        4, "low-mood-anxiety", R.PROFESSIONAL, "Mark Ellis, supported living manager", "Willows Supported Living",
        "Withdrawn and not eating for a week; staff wonder about low mood.",
        minutes_ago=150, claimed_by="clinician.mental",
        outcome=O.TRANSFER, priority=P.URGENT,
        clinical_note="Has a learning disability and a communication passport: the learning disability duty "
        "team is better placed. Transferred with the history.",
        decision=(("transfer_to", "learning-disability"),),
    ),
    # Withdrawn by the practice while being triaged (the patient was admitted), and one a clinician
    # returned to the referrer for more information.
    DemoReferral(
        5, "falls", R.GP, "Dr Priya Nair", "Northfield Medical Centre",
        "Two falls this week, bruised hip.", minutes_ago=200, channel=Referral.Channel.ELECTRONIC,
        claimed_by="clinician.physical",
        leaves=QueueItem.Status.WITHDRAWN, return_note="Admitted to hospital this morning",
    ),
    DemoReferral(
        6, "falls", R.GP, "Dr Priya Nair", "Northfield Medical Centre",
        "Fall, please see.", minutes_ago=140, claimed_by="clinician.physical",
        leaves=QueueItem.Status.RETURNED,
        return_note="Which leg, and can she weight-bear? Please send it again with her current mobility.",
    ),
]


def referrals_load(users: dict, patients: list[Patient], needs: dict) -> int:
    now = timezone.now()
    created = 0
    for n, spec in enumerate(REFERRALS, start=1):
        referral, is_new = referral_services.referral_create(
            actor=users["callhandler"],
            idempotency_key=f"{DEMO_KEY_PREFIX}{n}",
            patient=patients[spec.patient],
            need=needs[spec.need],
            referrer_type=spec.referrer_type,
            referrer_name=spec.referrer_name,
            referrer_organisation=spec.referrer_organisation,
            reason=spec.reason,
            needs_description=spec.needs_description,
            channel=spec.channel,
            received_at=now - timedelta(minutes=spec.minutes_ago),
            urgency=spec.urgency,
        )
        if not is_new:
            continue  # made by an earlier run: leave it where it is now
        created += 1
        if spec.claimed_by:
            clinician = users[spec.claimed_by]
            item = triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
            if spec.leaves == QueueItem.Status.WITHDRAWN:
                triage_services.referral_cancel(referral=referral, actor=users["callhandler"], reason=spec.return_note)
            if spec.leaves == QueueItem.Status.RETURNED:
                triage_services.queue_item_return(
                    item=item, actor=clinician, reason=QueueItem.ReturnReason.MORE_INFORMATION_NEEDED,
                    note=spec.return_note,
                )
            if spec.outcome:
                extra = dict(spec.decision)
                if "transfer_to" in extra:
                    extra["transfer_to"] = DutyQueue.objects.get(code=extra["transfer_to"])
                triage_services.triage_decision_record(
                    item=item,
                    actor=clinician,
                    priority=spec.priority,
                    outcome=spec.outcome,
                    clinical_note=spec.clinical_note,
                    **extra,
                )
    return created


# Queues that keep taking their own referrals out of hours (crisis care runs 24/7).
OUT_OF_HOURS_COVER = {"mental-health", "out-of-hours"}
# Monday to Friday 20:00 to 08:00 the next morning; Saturday and Sunday all day.
OUT_OF_HOURS_PERIODS = [(day, time(20, 0), time(8, 0)) for day in range(5)] + [
    (5, time(0, 0), time(0, 0)),
    (6, time(0, 0), time(0, 0)),
]
# England and Wales bank holidays (gov.uk/bank-holidays).
BANK_HOLIDAYS = [
    (date(2026, 12, 25), "Christmas Day"),
    (date(2026, 12, 28), "Boxing Day (substitute day)"),
    (date(2027, 1, 1), "New Year's Day"),
    (date(2027, 3, 26), "Good Friday"),
    (date(2027, 3, 29), "Easter Monday"),
    (date(2027, 5, 3), "Early May bank holiday"),
    (date(2027, 5, 31), "Spring bank holiday"),
    (date(2027, 8, 30), "Summer bank holiday"),
]


def out_of_hours_load(queues: dict) -> None:
    # After the demo referrals, so they route as by day; the out-of-hours queue stays switched off.
    for code, queue in queues.items():
        wanted = {"has_out_of_hours_cover": code in OUT_OF_HOURS_COVER, "is_out_of_hours_queue": code == "out-of-hours"}
        if any(getattr(queue, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(queue, field, value)
            save_as(queue, None)
    for weekday, starts, ends in OUT_OF_HOURS_PERIODS:
        get_or_create(OutOfHoursPeriod, weekday=weekday, starts=starts, ends=ends)
    for day, name in BANK_HOLIDAYS:
        get_or_create(OutOfHoursDate, date=day, defaults={"name": name})


# Issue 5: response targets per queue and priority (DOMAIN.md), in minutes, with where each comes from;
# issue 13: the triage target per urgency before them (local choice: soon enough to meet the response).
UCR = "Urgent community response: 2 hours (NHS England)"
RESPONSE_TARGETS = {
    "physical-health": [("emergency", 10, 120, UCR), ("very_urgent", 20, 120, UCR), ("urgent", 60, 120, UCR),
                        ("routine", 240, 2 * 24 * 60, "Local choice")],
    "mental-health": [("emergency", 10, 60, "Liaison from the emergency department: 1 hour (Core 24)"),
                      ("very_urgent", 30, 240, "Mental health crisis, very urgent: 4 hours"),
                      ("urgent", 120, 24 * 60, "Mental health crisis, urgent: 24 hours"),
                      ("routine", 240, 28 * 24 * 60, "Routine community mental health: 4 weeks")],
    # No national standard: local choice.
    "learning-disability": [("emergency", 10, 240, "Local choice"), ("very_urgent", 30, 240, "Local choice"),
                            ("urgent", 120, 24 * 60, "Local choice"), ("routine", 240, 28 * 24 * 60, "Local choice")],
}
# Who is on duty today, per queue: (username, duty lead?).
DEMO_ROTA = {
    "physical-health": [("clinician.physical", True), ("teamlead", False)],
    "mental-health": [("teamlead", True), ("clinician.mental", False)],
    "learning-disability": [("clinician.ld", True)],
}


def rota_and_targets_load(users: dict, queues: dict) -> None:
    from triage.models import ResponseTarget, Shift

    for code, targets in RESPONSE_TARGETS.items():
        for priority, triage_minutes, minutes, source in targets:
            get_or_create(
                ResponseTarget, queue=queues[code], priority=priority,
                defaults={"triage_minutes": triage_minutes, "response_minutes": minutes, "source": source},
            )
    triage_services.shifts_standard_ensure()
    today = timezone.localdate()
    # Today's shifts, and last night's, which runs into this morning.
    for day in (today - timedelta(days=1), today):
        for shift in Shift.objects.all():
            if not shift.runs_on(day) or (day < today and shift.ends > shift.starts):
                continue
            for code, people in DEMO_ROTA.items():
                for username, is_lead in people:
                    triage_services.rota_entry_set(
                        queue=queues[code], shift=shift, date=day, clinician=users[username],
                        is_lead=is_lead, actor=users["teamlead"],
                    )

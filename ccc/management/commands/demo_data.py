"""Demo data: organisations, teams, duty queues, routing, one user per role, patients and referrals.

    python manage.py demo_data [--password PW] [--force]

Safe to run again: configuration is found by its natural key (name, code, username) and
only made when missing, and each demo referral is made once (its idempotency key is
``demo-<n>``). Referrals go through the same services as real ones (intake, routing, claim,
triage decision), so their timelines and history are real.

Every run sets the demo users' password (the one given, or a new random one) and prints it.
It refuses to run when DEBUG is off unless ``--force`` is given.
"""

import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import nhs_number
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone

from ccc.audit import save_as
from ccc.models import Organisation, Team, User
from directory import demo as directory_demo
from escalations.models import EscalationLadder, EscalationRung
from referrals import services as referral_services
from referrals.models import (
    CommunityNursingSettings,
    FollowUpCall,
    FollowUpPolicy,
    NeedCategory,
    Patient,
    PracticeLocality,
    Referral,
    TransportBooking,
)
from triage import services as triage_services
from triage.models import DutyQueue, OutOfHoursDate, OutOfHoursPeriod, QueueItem, RoutingRule, TriageDecision

LOGIN_URL = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/"
DEMO_KEY_PREFIX = "demo-"
# Test-range NHS numbers (999 000 0000 to 999 999 9999 are never issued); start past the ones tests use.
NHS_NUMBER_START = 9_990_001_000

ORGANISATIONS = [
    ("Northfield Acute and Community NHS Trust", Organisation.Kind.ACUTE_TRUST),
    ("Northfield Mental Health and Learning Disability NHS Trust", Organisation.Kind.MENTAL_HEALTH_TRUST),
    ("Northfield Council", Organisation.Kind.COUNCIL),
    ("Northfield Commissioning Group", Organisation.Kind.COMMISSIONER),
    ("Northfield Voluntary Action", Organisation.Kind.VOLUNTARY_SECTOR),
]
ACUTE, MENTAL_HEALTH, COUNCIL, COMMISSIONER, VOLUNTARY = (name for name, _ in ORGANISATIONS)

# Team name -> organisation name.
TEAMS = {
    "Care Co-ordination Centre": ACUTE,
    "IRR physical health": ACUTE,
    "IRR mental health": MENTAL_HEALTH,
    "IRR learning disability": MENTAL_HEALTH,
    "Transfer of Care team": ACUTE,
    "Adult social care": COUNCIL,
    "Out-of-hours service": ACUTE,
}

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

# username, role, first name, last name, team, queue codes.
USERS = [
    ("callhandler", User.Role.CALL_HANDLER, "Sarah", "Whitfield", "Care Co-ordination Centre", []),
    ("clinician.physical", User.Role.DUTY_CLINICIAN, "James", "Okafor", "IRR physical health", ["physical-health"]),
    ("clinician.mental", User.Role.DUTY_CLINICIAN, "Aisha", "Rahman", "IRR mental health", ["mental-health"]),
    ("clinician.ld", User.Role.DUTY_CLINICIAN, "Gareth", "Lloyd", "IRR learning disability", ["learning-disability"]),
    # A clinician who also sets the rota, reassigns, and leads the shift when the rota says so.
    ("teamlead", User.Role.TEAM_LEAD, "Nadia", "Kowalski", "IRR mental health",
     ["mental-health", "learning-disability", "physical-health"]),
    ("toc", User.Role.TOC, "Helen", "McAllister", "Transfer of Care team", []),
    # Hospital social care in the integrated TOC team: signs delays off for the council.
    ("toc.socialcare", User.Role.TOC, "Marcus", "Boateng", "Adult social care", []),
    ("manager", User.Role.MANAGER, "David", "Chen", "Care Co-ordination Centre", []),
    ("directory", User.Role.DIRECTORY_EDITOR, "Tom", "Barker", "Care Co-ordination Centre", []),
    ("manager.oncall", User.Role.MANAGER, "Rachel", "Osei", "Care Co-ordination Centre", []),
    ("admin", User.Role.ADMINISTRATOR, "Fiona", "Marsh", "Care Co-ordination Centre", []),
]


@dataclass(frozen=True)
class DemoPatient:
    given_name: str
    family_name: str
    age: int
    birthday: tuple[int, int]  # month, day
    address: str
    postcode: str
    gp_practice: str


PATIENTS = [
    DemoPatient(
        "Margaret", "Holloway", 87, (3, 14),
        "12 Chapel Row\nNorthfield", "NF1 2AB", "Northfield Medical Centre"
    ),
    DemoPatient(
        "Arthur", "Pennington", 92, (11, 2),
        "Flat 4, Elm Court\nMill Lane\nNorthfield", "NF2 7DQ", "Riverside Surgery"
    ),
    DemoPatient(
        "Daniel", "Kowalski", 34, (6, 21),
        "88 Station Road\nNorthfield", "NF3 4HS", "Northfield Medical Centre"
    ),
    DemoPatient(
        "Priya", "Sharma", 27, (9, 8),
        "5 Orchard Close\nLower Northfield", "NF4 1RT", "Riverside Surgery"
    ),
    DemoPatient(
        "Thomas", "Brennan", 45, (1, 30),
        "The Willows, 3 Canal Street\nNorthfield", "NF1 9LP", "Northfield Medical Centre"
    ),
    DemoPatient(
        "Joan", "Fairweather", 79, (4, 17),
        "21 Beech Avenue\nNorthfield", "NF5 3JW", "Riverside Surgery"
    ),
    DemoPatient(
        "Kwame", "Mensah", 58, (12, 5),
        "140 High Street\nNorthfield", "NF2 6EX", "Northfield Medical Centre"
    ),
    DemoPatient(
        "Eileen", "O'Donnell", 95, (7, 23),
        "Maple Lodge Care Home\nChurch Lane\nNorthfield", "NF6 2BU", "Riverside Surgery"
    ),
    DemoPatient(
        "Liam", "Ashworth", 19, (10, 11),
        "9 Weavers Yard\nNorthfield", "NF3 8NA", "Northfield Medical Centre"
    ),
    DemoPatient(
        "Rosemary", "Tillotson", 66, (2, 9),
        "47 Park View\nUpper Northfield", "NF4 5SG", "Riverside Surgery"
    ),
]


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
    clinical_note: str = ""
    # The rest of the triage decision: risk assessment and what the outcome needs (transfer_to: a queue code).
    decision: tuple[tuple[str, Any], ...] = ()


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
        minutes_ago=25,
    ),
    # Waiting, overdue (mental health target is 4 hours).
    DemoReferral(
        2, "mh-crisis", R.CARER, "Anna Kowalski (wife)", "",
        "Husband has not slept for three days, talking about not wanting to be here. "
        "Known to the community mental health team last year.",
        minutes_ago=300,
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
]


class Command(BaseCommand):
    help = "Create demo organisations, queues, users (one per role), patients and referrals. Safe to run again."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--password", help="Password for every demo user (default: a new random one each run, printed at the end)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even when DEBUG is off (it resets the demo users' passwords)."
        )

    def handle(self, *args: Any, password: str | None = None, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a live system. demo_data adds demo patients and referrals and "
                "resets the demo users' passwords. Use --force if you really mean it."
            )
        password = password or secrets.token_urlsafe(9)
        try:
            validate_password(password)
        except ValidationError as error:
            self.stderr.write(self.style.WARNING("Password is weak: " + " ".join(error.messages)))

        with transaction.atomic():
            organisations = {
                name: _get_or_create(Organisation, name=name, defaults={"kind": kind})[0]
                for name, kind in ORGANISATIONS
            }
            teams = {
                name: _get_or_create(Team, name=name, organisation=organisations[org])[0]
                for name, org in TEAMS.items()
            }
            queues = {
                code: _get_or_create(
                    DutyQueue,
                    code=code,
                    defaults={"name": name, "team": teams[team], "is_active": active, "triage_target_minutes": target},
                )[0]
                for code, name, team, active, target in QUEUES
            }
            needs = {}
            for code, name, group, queue_code, fallback_code in NEEDS:
                need, _ = _get_or_create(NeedCategory, code=code, defaults={"name": name, "group": group})
                _get_or_create(
                    RoutingRule,
                    need=need,
                    defaults={
                        "queue": queues[queue_code],
                        "fallback_queue": queues[fallback_code] if fallback_code else None,
                    },
                )
                needs[code] = need
            # Hashed once for all of them: a hash costs a third of a second by design.
            password_hash = make_password(password)
            users = {spec[0]: self._demo_user(spec, password_hash, teams, queues) for spec in USERS}
            _demo_community_nursing(organisations[ACUTE], queues)
            patients = self._demo_patients(users["callhandler"])
            _demo_ladders(queues, users)  # before the referrals, whose clocks take their queue's ladder
            _demo_duty_rota_and_targets(users, queues)
            created = self._demo_referrals(users, patients, needs)
            _demo_out_of_hours(queues)
            _demo_follow_up_calls_and_transport(users["callhandler"], patients)
            users.update(_demo_front_desk(password_hash, users["callhandler"], patients, needs))
            directory_created = directory_demo.load(users["directory"])
            self._demo_transfer_of_care(users, organisations)
            _demo_irr(users, teams, organisations)
            _demo_patient_page(users["callhandler"])

        self._report(users, password, created)
        self.stdout.write(f"Directory of services: {directory_created} services made (the rest were already there).")

    def _demo_user(self, spec, password_hash: str, teams: dict, queues: dict) -> User:
        username, role, first_name, last_name, team_name, queue_codes = spec
        team = teams[team_name]
        wanted = {
            "role": role,
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{first_name}.{last_name}@example.nhs.uk".lower(),
            "team": team,
            "organisation": team.organisation,
            "is_active": True,
            # The admin site is gated by our role, not by Django's staff and superuser flags.
            "is_staff": False,
            "is_superuser": False,
        }
        user = User.objects.filter(username=username).first()
        if user is not None and all(getattr(user, field) == value for field, value in wanted.items()):
            # Only the password changes; history leaves passwords out, so write no empty history entry.
            User.objects.filter(pk=user.pk).update(password=password_hash)
            user.password = password_hash
        else:
            user = user or User(username=username)
            for field, value in wanted.items():
                setattr(user, field, value)
            user.password = password_hash
            save_as(user, None)
        for code in queue_codes:
            queues[code].clinicians.add(user)
        return user

    def _demo_patients(self, call_handler: User) -> list[Patient]:
        numbers = _test_nhs_numbers(len(PATIENTS))
        today = timezone.localdate()
        patients = []
        for spec, number in zip(PATIENTS, numbers, strict=True):
            patient = Patient.objects.filter(nhs_number=number).first()
            if patient is None:
                month, day = spec.birthday
                # Born so they are exactly spec.age today.
                year = today.year - spec.age - ((month, day) > (today.month, today.day))
                patient = referral_services.patient_create(
                    created_by=call_handler,
                    nhs_number=number,
                    given_name=spec.given_name,
                    family_name=spec.family_name,
                    date_of_birth=date(year, month, day),
                    address=spec.address,
                    postcode=spec.postcode,
                    gp_practice=Organisation.objects.get(name=spec.gp_practice, kind=Organisation.Kind.GP_PRACTICE),
                )
            patients.append(patient)
        return patients

    def _demo_referrals(self, users: dict, patients: list[Patient], needs: dict) -> int:
        now = timezone.now()
        created = 0
        for n, spec in enumerate(REFERRALS, start=1):
            referral, is_new = referral_services.referral_create(
                received_by=users["callhandler"],
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
            )
            if not is_new:
                continue  # made by an earlier run: leave it where it is now
            created += 1
            if spec.claimed_by:
                clinician = users[spec.claimed_by]
                item = triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
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

    def _demo_transfer_of_care(self, users: dict, organisations: dict) -> None:
        from discharge.demo import STAYS, load_demo
        from discharge.models import TransferOfCareSettings

        # Pathway 1 discharges are handed to the physical health IRR team (early supported discharge).
        toc_settings = TransferOfCareSettings.current()
        if toc_settings.irr_team is None:
            toc_settings.irr_team = users["clinician.physical"].team
            save_as(toc_settings, None)

        # Test-range NHS numbers after the ones the referral patients use.
        numbers = _test_nhs_numbers(len(PATIENTS) + len(STAYS))[len(PATIENTS):]
        made = load_demo(
            toc=users["toc"], social_worker=users["toc.socialcare"], acute=organisations[ACUTE], nhs_numbers=numbers
        )
        self.stdout.write(f"Made {made} Transfer of Care register entries." if made else "Transfer of Care demo was already there.")

    def _report(self, users: dict, password: str, created: int) -> None:
        out = self.stdout
        if created:
            out.write(f"Made {created} demo referrals.")
        else:
            out.write("Demo referrals were already there: left as they are.")
        counts = {
            status.label: QueueItem.objects.filter(referral__idempotency_key__startswith=DEMO_KEY_PREFIX, status=status)
            .count()
            for status in QueueItem.Status
        }
        out.write("Demo queue items: " + ", ".join(f"{count} {label.lower()}" for label, count in counts.items()))
        out.write("")

        rows = [("Username", "Role", "Queues", "Password")]
        for user in users.values():
            queue_names = ", ".join(user.duty_queues.order_by("name").values_list("name", flat=True)) or "-"
            rows.append((user.username, user.get_role_display(), queue_names, password))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        line = "  ".join("-" * width for width in widths)
        for i, row in enumerate(rows):
            text = "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()
            out.write(self.style.MIGRATE_HEADING(text) if i == 0 else text)
            if i == 0:
                out.write(line)
        out.write("")
        out.write(self.style.SUCCESS(f"Log in at {LOGIN_URL}"))


# Phased services and out of hours, community nursing, follow-up calls and transport ---------

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
LOCALITIES = ["North", "South", "East", "West", "Central", "Riverside", "Moorland"]
DEFAULT_LOCALITY = "Central"
# GP practice, ODS code (made up, in the English format), locality (None: not yet mapped).
GP_PRACTICES = [
    ("Northfield Medical Centre", "Y90001", "Central"),
    ("Riverside Surgery", "Y90002", "Riverside"),
    ("Moor Lane Health Centre", "Y90003", "Moorland"),
    ("Upper Northfield Practice", "Y90004", "North"),
    ("Southgate Surgery", "Y90005", "South"),
    ("Eastfield Family Practice", "Y90006", "East"),
    ("Westway Medical Practice", "Y90007", "West"),
    ("Canal Side Practice", "Y90008", None),
]


def _locality_team_name(locality: str) -> str:
    return f"Community nursing {locality} locality"


def _demo_community_nursing(trust: Organisation, queues: dict) -> None:
    teams = {
        locality: _get_or_create(Team, name=_locality_team_name(locality), organisation=trust)[0]
        for locality in LOCALITIES
    }
    for name, ods_code, locality in GP_PRACTICES:
        practice, _ = _get_or_create(
            Organisation, name=name, defaults={"kind": Organisation.Kind.GP_PRACTICE, "ods_code": ods_code}
        )
        if locality:
            _get_or_create(PracticeLocality, practice=practice, defaults={"team": teams[locality]})
    if not CommunityNursingSettings.objects.exists():
        save_as(CommunityNursingSettings(default_team=teams[DEFAULT_LOCALITY]), None)
    need, _ = _get_or_create(
        NeedCategory,
        code="community-nursing",
        defaults={"name": "Community nursing", "group": "Physical health", "allocate_to_locality_team": True},
    )
    _get_or_create(RoutingRule, need=need, defaults={"queue": queues["physical-health"]})


def _demo_out_of_hours(queues: dict) -> None:
    # After the demo referrals, so they route as by day; the out-of-hours queue stays switched off.
    for code, queue in queues.items():
        wanted = {"has_out_of_hours_cover": code in OUT_OF_HOURS_COVER, "is_out_of_hours_queue": code == "out-of-hours"}
        if any(getattr(queue, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(queue, field, value)
            save_as(queue, None)
    for weekday, starts, ends in OUT_OF_HOURS_PERIODS:
        _get_or_create(OutOfHoursPeriod, weekday=weekday, starts=starts, ends=ends)
    for day, name in BANK_HOLIDAYS:
        _get_or_create(OutOfHoursDate, date=day, defaults={"name": name})


def _demo_follow_up_calls_and_transport(call_handler: User, patients: list[Patient]) -> None:
    if not FollowUpPolicy.objects.exists():
        save_as(FollowUpPolicy(default_days="2, 7"), None)
    today = timezone.localdate()
    reason = "Discharged home with a high risk of readmission (frailty, lives alone)"
    # Day 2 and day 7 calls: Margaret's day 2 and Arthur's day 7 are due today; Joan's day 2 was yesterday.
    for patient, days_ago in [(patients[0], 2), (patients[1], 7), (patients[5], 3)]:
        if FollowUpCall.objects.filter(patient=patient).exists():
            continue  # scheduled by an earlier run, perhaps on another day: leave them as they are
        referral_services.follow_up_calls_schedule(
            patient=patient, discharged_on=today - timedelta(days=days_ago), reason=reason, actor=call_handler
        )
    pickup = timezone.make_aware(datetime.combine(today + timedelta(days=1), time(10, 30)))
    referral_services.transport_booking_create(
        requested_by=call_handler,
        idempotency_key=f"{DEMO_KEY_PREFIX}transport-1",
        patient=patients[7],
        pickup_from="Maple Lodge Care Home, Church Lane, Northfield NF6 2BU",
        destination="Outpatients, Northfield General Hospital",
        pickup_at=max(pickup, timezone.now()),
        mobility=TransportBooking.Mobility.WHEELCHAIR,
        escort_needed=True,
        notes="Niece will meet her at outpatients.",
    )


def _get_or_create(model: type[models.Model], defaults: dict | None = None, **lookup: Any) -> tuple[Any, bool]:
    """Find by natural key, or make with full validation; never changes what an administrator has edited."""
    found = model.objects.filter(**lookup).first()
    if found is not None:
        return found, False
    made = model(**lookup, **(defaults or {}))
    save_as(made, None)
    return made, True


def _test_nhs_numbers(count: int) -> list[str]:
    numbers = []
    candidate = NHS_NUMBER_START
    while len(numbers) < count:
        if nhs_number.is_valid(str(candidate)):
            numbers.append(str(candidate))
        candidate += 1
    return numbers


# The front desk: a GP practice with a referrer login, contacts, a frequent caller.

DEMO_PRACTICE = ("Northfield Medical Centre", "B86001")
# A frequent caller: lonely, calls most days; "just to talk", to be signposted to befriending.
FREQUENT_CALLER_PHONE = "0113 496 0555"  # Ofcom's drama range for Leeds: never a real line
DEMO_CONTACT_DAYS_AGO = [1, 3, 6, 9, 14]


def _demo_front_desk(password_hash: str, call_handler: User, patients: list[Patient], needs: dict) -> dict:
    """A referrer of Northfield Medical Centre, a referral it made, and contacts including a frequent caller."""
    name, ods = DEMO_PRACTICE
    practice, _ = _get_or_create(Organisation, name=name, defaults={"kind": Organisation.Kind.GP_PRACTICE, "ods_code": ods})
    referrer = User.objects.filter(username="referrer.gp").first() or User(username="referrer.gp")
    referrer.role, referrer.organisation, referrer.team = User.Role.REFERRER, practice, None
    referrer.first_name, referrer.last_name, referrer.email = "Amara", "Okafor", "amara.okafor@example.nhs.uk"
    referrer.is_active, referrer.is_staff, referrer.is_superuser = True, False, False
    referrer.password = password_hash
    save_as(referrer, None)

    now = timezone.now()
    gp_call = referral_services.contact_log(
        recorded_by=call_handler,
        idempotency_key=f"{DEMO_KEY_PREFIX}contact-gp",
        caller_type="gp",
        caller_name="Dr Amara Okafor",
        caller_organisation=name,
        caller_phone="0113 496 0000",
        patient=patients[2],
        started_at=now - timedelta(minutes=50),
        duration_minutes=6,
        reason="Patient struggling at home after a fall; asks for an urgent community response",
        outcome="referral_created",
    )[0]
    referral_services.referral_create_from_contact(
        contact=gp_call,
        received_by=call_handler,
        idempotency_key=f"{DEMO_KEY_PREFIX}fd-1",
        patient=patients[2],
        need=needs["urgent-community-response"],
        referrer_type="gp",
        referrer_name="Dr Amara Okafor",
        referrer_organisation=name,
        referrer_phone="0113 496 0000",
        reason="Fell at home, cannot get up the stairs, lives alone",
        received_at=now - timedelta(minutes=45),
        referring_practice=practice,
    )
    frequent = patients[-1]
    for n, days_ago in enumerate(DEMO_CONTACT_DAYS_AGO, start=1):
        referral_services.contact_log(
            recorded_by=call_handler,
            idempotency_key=f"{DEMO_KEY_PREFIX}contact-frequent-{n}",
            caller_type="patient",
            caller_name=frequent.full_name,
            caller_phone=FREQUENT_CALLER_PHONE,
            patient=frequent,
            started_at=now - timedelta(days=days_ago, hours=2),
            duration_minutes=15 + n,
            reason="Feeling lonely; wanted someone to talk to",
            outcome="just_to_talk",
            signposted_to="Northfield Befriending Network" if n == 1 else "",
        )
    referral_services.contact_log(
        recorded_by=call_handler,
        idempotency_key=f"{DEMO_KEY_PREFIX}contact-carer",
        caller_type="carer",
        caller_name="Linda Holloway (daughter)",
        caller_phone="0113 496 0777",
        patient=patients[0],
        started_at=now - timedelta(hours=5),
        duration_minutes=8,
        reason="Asked how to get a carer's assessment",
        outcome="signposted",
        signposted_to="Northfield Carers' Centre",
    )
    return {referrer.username: referrer}


# Escalation ladders: name, minutes after the previous rung (the first: after the due time), who.
LADDER_RUNGS = [
    ("Duty clinician", 0, EscalationRung.People.QUEUE_CLINICIANS, []),
    ("Duty lead", 15, EscalationRung.People.QUEUE_LEAD, []),
    ("Service manager", 30, EscalationRung.People.NAMED, ["manager"]),
    ("On-call manager", 30, EscalationRung.People.NAMED, ["manager.oncall"]),
]


def _demo_ladders(queues: dict, users: dict) -> None:
    """A ladder per demo queue and a default one; an administrator's edits are left alone."""
    for queue in [None, *queues.values()]:
        name = f"{queue} escalation" if queue else "Default escalation"
        ladder, made = _get_or_create(EscalationLadder, queue=queue, defaults={"name": name})
        if not made:
            continue
        for position, (rung_name, minutes, people, usernames) in enumerate(LADDER_RUNGS, start=1):
            rung = EscalationRung(
                ladder=ladder, position=position, name=rung_name, minutes_after_previous=minutes, people=people
            )
            save_as(rung, None)
            rung.named_users.set([users[username] for username in usernames])


# Issue 5: response targets per queue and priority (DOMAIN.md), in minutes, with where each comes from.
UCR = "Urgent community response: 2 hours (NHS England)"
RESPONSE_TARGETS = {
    "physical-health": [("emergency", 120, UCR), ("very_urgent", 120, UCR), ("urgent", 120, UCR),
                        ("routine", 2 * 24 * 60, "Local choice")],
    "mental-health": [("emergency", 60, "Liaison from the emergency department: 1 hour (Core 24)"),
                      ("very_urgent", 240, "Mental health crisis, very urgent: 4 hours"),
                      ("urgent", 24 * 60, "Mental health crisis, urgent: 24 hours"),
                      ("routine", 28 * 24 * 60, "Routine community mental health: 4 weeks")],
    # No national standard: local choice.
    "learning-disability": [("emergency", 240, "Local choice"), ("very_urgent", 240, "Local choice"),
                            ("urgent", 24 * 60, "Local choice"), ("routine", 28 * 24 * 60, "Local choice")],
}
# Who is on duty today, per queue: (username, duty lead?).
DEMO_ROTA = {
    "physical-health": [("clinician.physical", True), ("teamlead", False)],
    "mental-health": [("teamlead", True), ("clinician.mental", False)],
    "learning-disability": [("clinician.ld", True)],
}
# Team, open episodes, visits a day.
IRR_CAPACITY = [("IRR physical health", 40, 30), ("IRR mental health", 15, 12), ("IRR learning disability", 8, 6)]


def _demo_duty_rota_and_targets(users: dict, queues: dict) -> None:
    from triage.models import ResponseTarget, Shift

    for code, targets in RESPONSE_TARGETS.items():
        for priority, minutes, source in targets:
            _get_or_create(
                ResponseTarget, queue=queues[code], priority=priority,
                defaults={"response_minutes": minutes, "source": source},
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


def _demo_irr(users: dict, teams: dict, organisations: dict) -> None:
    from irr import services as irr_services
    from irr.models import Discipline, TeamCapacity

    for team, episodes, visits in IRR_CAPACITY:
        _get_or_create(TeamCapacity, team=teams[team], defaults={"open_episodes": episodes, "visits_per_day": visits})
    decision = TriageDecision.objects.filter(
        queue_item__referral__idempotency_key__startswith=DEMO_KEY_PREFIX, lone_working_risk=True,
        outcome=TriageDecision.Outcome.ACCEPT,
    ).select_related("queue_item__referral__patient", "queue_item__queue__team").first()
    if decision is None:
        return
    lead = users["teamlead"]
    # Opened as the page opens it: the lead and a support worker are its first members.
    episode = irr_services.episode_open(
        patient=decision.queue_item.referral.patient, lead_professional=lead, actor=lead,
        planned_end=timezone.localdate() + timedelta(weeks=2), source_decision=decision,
        goals="Keep him safe at home with his brother; daily home treatment visits; safety plan reviewed.",
        lead_discipline=Discipline.MENTAL_HEALTH, first_member_name="Tom Barker",
        first_member_discipline=Discipline.SUPPORT_WORKER,
        first_member_organisation=lead.organisation or decision.queue_item.queue.team.organisation,
    )
    irr_services.visit_schedule(
        episode=episode, kind="unplanned", scheduled_for=timezone.now() + timedelta(hours=1),
        staff=list(episode.members.all()),
        actor=lead, submission_key=f"{DEMO_KEY_PREFIX}irr-visit-1",
    )


# --- The one patient page: a patient known to several services -----------------------------


def _demo_patient_page(call_handler: User) -> None:
    """The IRR demo patient also has a follow-up call due, so a manager sees their open episode and
    the call together on their page, and a call handler sees the call."""
    from irr.models import Episode

    episode = Episode.objects.filter(
        status=Episode.Status.OPEN, source_decision__queue_item__referral__idempotency_key__startswith=DEMO_KEY_PREFIX
    ).select_related("patient").first()
    if episode is None:
        return
    referral_services.follow_up_call_schedule(
        patient=episode.patient,
        due_at=timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1), time(11, 0))),
        reason="Check on him and his brother after the first home treatment visits",
        actor=call_handler,
        idempotency_key=f"{DEMO_KEY_PREFIX}patient-page-call",  # a second run finds this call
    )

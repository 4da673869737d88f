"""Referrals demo data for ``manage.py demo_data``: patients, community nursing localities,
follow-up calls and transport, the front desk (a referrer login, contacts, a frequent caller),
and a follow-up call for the patient page."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from ccc.audit import save_as
from ccc.demo import DEMO_KEY_PREFIX, get_or_create, test_range_nhs_numbers
from ccc.models import Organisation, Team, User
from referrals import services as referral_services
from referrals.models import (
    CommunityNursingSettings,
    FollowUpCall,
    FollowUpPolicy,
    NeedCategory,
    Patient,
    PracticeLocality,
    TransportBooking,
)
from triage.models import RoutingRule


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


def patients_load(call_handler: User) -> list[Patient]:
    numbers = test_range_nhs_numbers(len(PATIENTS))
    today = timezone.localdate()
    patients = []
    for spec, number in zip(PATIENTS, numbers, strict=True):
        patient = Patient.objects.filter(nhs_number=number).first()
        if patient is None:
            month, day = spec.birthday
            # Born so they are exactly spec.age today.
            year = today.year - spec.age - ((month, day) > (today.month, today.day))
            patient = referral_services.patient_create(
                actor=call_handler,
                nhs_number=number,
                given_name=spec.given_name,
                family_name=spec.family_name,
                date_of_birth=date(year, month, day),
                address=spec.address,
                postcode=spec.postcode,
                gp_practice=Organisation.objects.get(name=spec.gp_practice, kind=Organisation.Kind.GP_PRACTICE),
            )
        patients.append(patient)
    patient_details_load(call_handler, patients)
    return patients


def patient_details_load(call_handler: User, patients: list[Patient]) -> None:
    """Phones, next of kin, communication needs and safety alerts for a few patients, through the
    services; once (a patient who already has a number is left as they are)."""
    review_on = timezone.localdate() + timedelta(days=90)
    margaret, arthur, daniel, kwame, eileen = (patients[i] for i in (0, 1, 2, 6, 7))
    details = [
        (margaret, ["0113 496 0100", "07911 123456"], ("Susan Holloway", "daughter", "0113 496 0101", True, True),
         ("access_key_safe", "Key safe by the back door: the code is on the referral; knock loudly, she is hard of hearing")),
        (arthur, ["0113 496 0200"], ("Jean Pennington", "wife", "0113 496 0200", True, True),
         ("animals", "Two large dogs: ask for them to be shut in the kitchen before going in")),
        (daniel, ["07911 123457"], ("Mark Kowalski", "brother", "07911 123458", True, False),
         ("risk_to_staff", "Verbal aggression towards staff in March: visit in pairs, do not go alone")),
        (kwame, ["0113 496 0300"], None, None),
        (eileen, ["0113 496 0400"], ("Maple Lodge Care Home", "care home", "0113 496 0401", False, True),
         ("infection", "Norovirus on the unit this week: gloves and aprons; check with the nurse in charge")),
    ]
    for patient, numbers, person, alert in details:
        if patient.phones.exists():
            continue
        for number in numbers:
            referral_services.patient_phone_add(actor=call_handler, patient=patient, number=number)
        if person:
            name, relationship, phone, next_of_kin, carer = person
            referral_services.patient_support_person_add(
                actor=call_handler, patient=patient, name=name, relationship=relationship, phone=phone,
                is_next_of_kin=next_of_kin, is_carer=carer,
            )
        if alert:
            referral_services.safety_alert_raise(
                actor=call_handler, patient=patient, category=alert[0], detail=alert[1], review_on=review_on
            )
    referral_services.patient_details_update(
        actor=call_handler, patient=kwame, preferred_language="Twi", interpreter_needed=True,
        communication_notes="Son interprets at home; book a professional interpreter for clinical conversations",
    )
    referral_services.patient_details_update(
        actor=call_handler, patient=eileen, communication_needs=["hearing_loop", "large_print"],
    )


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


def community_nursing_load(trust: Organisation, queues: dict) -> None:
    teams = {
        locality: get_or_create(Team, name=_locality_team_name(locality), organisation=trust)[0]
        for locality in LOCALITIES
    }
    for name, ods_code, locality in GP_PRACTICES:
        practice, _ = get_or_create(
            Organisation, name=name, defaults={"kind": Organisation.Kind.GP_PRACTICE, "ods_code": ods_code}
        )
        if locality:
            get_or_create(PracticeLocality, practice=practice, defaults={"team": teams[locality]})
    if not CommunityNursingSettings.objects.exists():
        save_as(CommunityNursingSettings(default_team=teams[DEFAULT_LOCALITY]), None)
    need, _ = get_or_create(
        NeedCategory,
        code="community-nursing",
        defaults={"name": "Community nursing", "group": "Physical health", "allocate_to_locality_team": True},
    )
    get_or_create(RoutingRule, need=need, defaults={"queue": queues["physical-health"]})


def follow_up_calls_and_transport_load(call_handler: User, patients: list[Patient]) -> None:
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
        actor=call_handler,
        idempotency_key=f"{DEMO_KEY_PREFIX}transport-1",
        patient=patients[7],
        pickup_from="Maple Lodge Care Home, Church Lane, Northfield NF6 2BU",
        destination="Outpatients, Northfield General Hospital",
        pickup_at=max(pickup, timezone.now()),
        mobility=TransportBooking.Mobility.WHEELCHAIR,
        escort_needed=True,
        notes="Niece will meet her at outpatients.",
    )


# The front desk: a GP practice with a referrer login, contacts, a frequent caller.

DEMO_PRACTICE = ("Northfield Medical Centre", "B86001")
# A frequent caller: lonely, calls most days; "just to talk", to be signposted to befriending.
FREQUENT_CALLER_PHONE = "0113 496 0555"  # Ofcom's drama range for Leeds: never a real line
DEMO_CONTACT_DAYS_AGO = [1, 3, 6, 9, 14]


def front_desk_load(password_hash: str, call_handler: User, patients: list[Patient], needs: dict) -> dict:
    """A referrer of Northfield Medical Centre, a referral it made, and contacts including a frequent caller."""
    name, ods = DEMO_PRACTICE
    practice, _ = get_or_create(Organisation, name=name, defaults={"kind": Organisation.Kind.GP_PRACTICE, "ods_code": ods})
    referrer = User.objects.filter(username="referrer.gp").first() or User(username="referrer.gp")
    referrer.role, referrer.organisation, referrer.team = User.Role.REFERRER, practice, None
    referrer.first_name, referrer.last_name, referrer.email = "Amara", "Okafor", "amara.okafor@example.nhs.uk"
    referrer.is_active, referrer.is_staff, referrer.is_superuser = True, False, False
    referrer.password = password_hash
    save_as(referrer, None)

    now = timezone.now()
    gp_call = referral_services.contact_log(
        actor=call_handler,
        idempotency_key=f"{DEMO_KEY_PREFIX}contact-gp",
        caller_type="gp",
        caller_name="Dr Amara Okafor",
        caller_organisation=name,
        caller_phone="0113 496 0000",
        patient=patients[2],
        started_at=now - timedelta(minutes=50),
        duration_minutes=6,
        reason="Patient struggling at home after a fall; asks for an urgent community response",
        outcome="referral_pending",
    )[0]
    referral_services.referral_create_from_contact(
        contact=gp_call,
        actor=call_handler,
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
            actor=call_handler,
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
        actor=call_handler,
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


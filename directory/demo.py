"""Demo directory for ``manage.py demo_data``: services across health, social care and the
voluntary sector in the fictional Northfield (postcodes NF1 to NF9), with needs, areas and
opening times. Idempotent: each row has a fixed UUID made from its name."""

import uuid
from datetime import time, timedelta

from django.utils import timezone

from ccc.audit import save_as
from directory import services
from directory.models import Location, Organization, Service, Taxonomy, TaxonomyTerm

NAMESPACE = uuid.UUID("6f1d3c2a-4b5e-4c6d-9e8f-0a1b2c3d4e5f")

TAXONOMY = ("CCC needs", "Needs and categories the Care Co-ordination Centre signposts to")
TERMS = [
    ("befriending", "Befriending and loneliness"),
    ("falls", "Falls prevention"),
    ("carers", "Carers' support"),
    ("mental-health-crisis", "Mental health crisis"),
    ("mental-wellbeing", "Mental wellbeing"),
    ("food", "Food and essentials"),
    ("transport", "Community transport"),
    ("home-help", "Help at home"),
    ("dementia", "Dementia support"),
    ("money", "Money and benefits advice"),
    ("housing", "Housing and homelessness"),
    ("physical-activity", "Physical activity"),
    ("end-of-life", "End of life care"),
    ("learning-disability", "Learning disability"),
]

ORGANISATIONS = [
    ("Northfield Age Concern", "Local charity supporting older people in Northfield.", "https://agecare.example.org"),
    ("Northfield Carers Centre", "Independent charity for unpaid carers.", "https://carers.example.org"),
    ("Northfield Mind", "Local mental health charity.", "https://mind.example.org"),
    ("Northfield Council Adult Social Care", "The council's adult social care service.", "https://council.example.gov.uk"),
    ("Northfield Acute and Community NHS Trust", "Hospital and community health services.", "https://trust.example.nhs.uk"),
    ("Northfield Foodbank", "Emergency food, part of a national network.", "https://food.example.org"),
    ("Northfield Community Transport", "Door-to-door transport for people who cannot use buses.", "https://transport.example.org"),
    ("Northfield Citizens Advice", "Free, confidential advice.", "https://advice.example.org"),
]

LOCATIONS = [
    ("Northfield Community Hub", "Northfield Age Concern", "1 Market Street", "NF1 1AA"),
    ("Riverside Centre", "Northfield Carers Centre", "22 River Walk", "NF2 3BB"),
    ("The Sanctuary Cafe", "Northfield Mind", "8 Canal Street", "NF1 9LP"),
    ("Northfield Civic Centre", "Northfield Council Adult Social Care", "Civic Square", "NF1 2CC"),
    ("St Luke's Church Hall", "Northfield Foodbank", "St Luke's Road", "NF3 4DD"),
    ("Eastbrook Health Centre", "Northfield Acute and Community NHS Trust", "40 Eastbrook Lane", "NF4 5EE"),
]

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"]
EVERY_DAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
ALL_NF = "NF1 NF2 NF3 NF4 NF5 NF6 NF7 NF8 NF9"

# name, organisation, terms, description, eligibility, (min, max age), self-referral, how to refer,
# (area name, districts), (days, opens, closes), location, phone, months since review
SERVICES = [
    ("Telephone befriending", "Northfield Age Concern", ["befriending"],
     "A trained volunteer phones once or twice a week for a friendly chat.",
     "Older people who are lonely or isolated, living at home.", (60, None), True,
     "Call us, or any professional can refer with the person's agreement.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(9), time(17)), None, "01632 960001", 2),
    ("Home visiting befriending", "Northfield Age Concern", ["befriending"],
     "A volunteer visits at home every week, and can help with trips out.",
     "Older people who are isolated, lonely or housebound.", (65, None), True,
     "Phone the befriending coordinator; GPs and social workers can refer by email.",
     ("North Northfield", "NF1 NF2 NF3"), (WEEKDAYS, time(9), time(16)), "Northfield Community Hub", "01632 960002", 5),
    ("Lunch club and friendship group", "Northfield Age Concern", ["befriending", "food"],
     "Hot two-course lunch and activities twice a week; transport can be arranged.",
     "People aged 55 and over.", (55, None), True, "Drop in or phone to book a place.",
     ("Northfield town", "NF1 NF4"), (["TU", "TH"], time(11, 30), time(14, 30)), "Northfield Community Hub", "01632 960003", 14),
    ("Falls prevention classes", "Northfield Acute and Community NHS Trust", ["falls", "physical-activity"],
     "Twelve-week strength and balance programme run by physiotherapists.",
     "Adults who have fallen, or are afraid of falling, and can stand with or without an aid.", (50, None), False,
     "Referral by a GP, nurse or therapist on the falls referral form.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(9), time(17)), "Eastbrook Health Centre", "01632 960010", 3),
    ("Falls response and home hazard check", "Northfield Council Adult Social Care", ["falls", "home-help"],
     "A visit to check the home for trip hazards and fit grab rails and pendant alarms.",
     "Adults at risk of falls at home.", (18, None), True, "Phone adult social care, or refer online.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(8), time(18)), "Northfield Civic Centre", "01632 960011", 1),
    ("Carers' support and assessment", "Northfield Carers Centre", ["carers"],
     "Information, a carer's assessment, emotional support and a carers' emergency card.",
     "Unpaid carers aged 18 and over looking after a family member or friend.", (18, None), True,
     "Carers can phone or drop in; professionals can refer with consent.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(9), time(17)), "Riverside Centre", "01632 960020", 4),
    ("Young carers project", "Northfield Carers Centre", ["carers"],
     "Activities, school support and breaks for young carers.",
     "Young carers aged 8 to 17.", (8, 17), True, "Families, schools or professionals can refer.",
     ("Northfield", ALL_NF), (["WE", "SA"], time(10), time(15)), "Riverside Centre", "01632 960021", 6),
    ("Carers' breaks (respite sitting service)", "Northfield Carers Centre", ["carers", "dementia"],
     "A trained sitter stays with the person you care for so you can have a few hours off.",
     "Carers of adults with dementia or long-term conditions.", (18, None), False,
     "Referral after a carer's assessment.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(9), time(17)), None, "01632 960022", 13),
    ("Crisis cafe", "Northfield Mind", ["mental-health-crisis", "mental-wellbeing"],
     "An evening safe space for people in emotional distress, staffed by mental health workers.",
     "Adults in mental health crisis or emotional distress.", (18, None), True,
     "Walk in, or phone ahead. No referral needed.",
     ("Northfield", ALL_NF), (EVERY_DAY, time(18), time(2)), "The Sanctuary Cafe", "01632 960030", 2),
    ("Mental health crisis line", "Northfield Acute and Community NHS Trust", ["mental-health-crisis"],
     "A 24-hour phone line for people in mental health crisis, and those worried about them.",
     "Anyone of any age in mental health crisis.", (None, None), True, "Phone at any time.",
     ("Northfield", ALL_NF), (EVERY_DAY, time(0), time(0)), None, "0800 000 0000", 1),
    ("Talking therapies", "Northfield Acute and Community NHS Trust", ["mental-wellbeing"],
     "Talking therapy for anxiety, low mood and stress.",
     "Adults registered with a Northfield GP with anxiety or depression.", (18, None), True,
     "Self-refer online or by phone, or ask your GP.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(8), time(20)), "Eastbrook Health Centre", "01632 960031", 8),
    ("Peer support groups", "Northfield Mind", ["mental-wellbeing", "befriending"],
     "Weekly groups led by people with lived experience of mental ill health.",
     "Adults with mental health problems.", (18, None), True, "Drop in to any group.",
     ("North Northfield", "NF1 NF2"), (["MO", "WE"], time(13), time(15)), "The Sanctuary Cafe", "", 15),
    ("Northfield Foodbank", "Northfield Foodbank", ["food"],
     "Three days of emergency food, and signposting to help with the cause of the crisis.",
     "People in crisis who cannot afford food; a voucher is needed.", (None, None), False,
     "A voucher from a GP, social worker, Citizens Advice or the council.",
     ("Northfield", ALL_NF), (["MO", "WE", "FR"], time(10), time(13)), "St Luke's Church Hall", "01632 960040", 3),
    ("Community pantry", "Northfield Foodbank", ["food"],
     "Low-cost weekly shop for members: ten items for three pounds fifty.",
     "Residents on a low income.", (18, None), True, "Join at the pantry.",
     ("South Northfield", "NF3 NF4 NF5"), (["TU", "SA"], time(10), time(14)), "St Luke's Church Hall", "", 20),
    ("Dial-a-ride", "Northfield Community Transport", ["transport"],
     "Door-to-door minibus for shopping, appointments and social trips; wheelchair accessible.",
     "People who cannot use public transport because of age, disability or illness.", (None, None), True,
     "Register by phone; book trips up to a week ahead.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(8), time(18)), None, "01632 960050", 7),
    ("Hospital transport volunteers", "Northfield Community Transport", ["transport"],
     "Volunteer drivers take people to hospital and GP appointments.",
     "People with no other way to get to a health appointment.", (None, None), True,
     "Phone at least two working days before the appointment.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(9), time(15)), None, "01632 960051", 25),
    ("Reablement at home", "Northfield Council Adult Social Care", ["home-help"],
     "Up to six weeks of short-term care at home to regain independence after illness or a hospital stay.",
     "Adults who could manage at home again with short-term help.", (18, None), False,
     "Referral by a hospital discharge team, GP or community health team.",
     ("Northfield", ALL_NF), (EVERY_DAY, time(7), time(22)), "Northfield Civic Centre", "01632 960060", 2),
    ("Home from hospital", "Northfield Age Concern", ["home-help", "befriending"],
     "Practical help in the first weeks home from hospital: shopping, prescriptions, a friendly visit.",
     "Older people going home from hospital who live alone.", (60, None), True,
     "Ward staff, carers or the person can phone.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(9), time(17)), None, "01632 960004", 9),
    ("Memory cafe", "Northfield Age Concern", ["dementia", "befriending"],
     "A monthly cafe for people living with dementia and their carers.",
     "People with memory problems or dementia, and their carers.", (None, None), True, "Drop in.",
     ("Northfield town", "NF1 NF4"), (["TH"], time(14), time(16)), "Northfield Community Hub", "", 11),
    ("Dementia advisers", "Northfield Acute and Community NHS Trust", ["dementia"],
     "Advice and support after a diagnosis of dementia.",
     "People with a diagnosis of dementia and their families.", (None, None), False, "Referral by the memory clinic or GP.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(9), time(17)), "Eastbrook Health Centre", "01632 960070", 30),
    ("Benefits and debt advice", "Northfield Citizens Advice", ["money"],
     "Free help with benefit claims, debts and bills.",
     "Anyone living or working in Northfield.", (16, None), True, "Phone, drop in or ask any professional to refer.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(9, 30), time(16)), "Northfield Civic Centre", "01632 960080", 4),
    ("Housing options and homelessness prevention", "Northfield Council Adult Social Care", ["housing"],
     "Help for people who are homeless or at risk of losing their home.",
     "Anyone homeless or at risk of homelessness in Northfield.", (16, None), True,
     "Phone the housing options team; out of hours, the emergency duty line.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(9), time(17)), "Northfield Civic Centre", "01632 960090", 6),
    ("Walking for health", "Northfield Age Concern", ["physical-activity", "befriending"],
     "Free, friendly, short group walks led by volunteers.",
     "Adults of any fitness, including people with long-term conditions.", (18, None), True, "Turn up to any walk.",
     ("South Northfield", "NF3 NF4 NF5"), (["MO", "TH"], time(10), time(11, 30)), None, "", 16),
    ("Palliative care support line", "Northfield Acute and Community NHS Trust", ["end-of-life"],
     "Advice for people at the end of life, their carers and professionals, day and night.",
     "People with a life-limiting illness, their families and carers.", (None, None), True, "Phone at any time.",
     ("Northfield", ALL_NF), (EVERY_DAY, time(0), time(0)), None, "01632 960100", 5),
    ("Learning disability day opportunities", "Northfield Council Adult Social Care", ["learning-disability"],
     "Day activities, skills and friendship for adults with a learning disability.",
     "Adults with a learning disability who meet the council's eligibility for care.", (18, 64), False,
     "Referral by a social worker after a care needs assessment.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(9), time(16)), "Northfield Civic Centre", "01632 960110", 10),
    ("Carers' emotional support line", "Northfield Carers Centre", ["carers", "mental-wellbeing"],
     "Evening phone support from trained volunteers who are carers themselves.",
     "Unpaid carers.", (18, None), True, "Phone.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(18), time(21)), None, "01632 960023", 3),
    ("Men's shed", "Northfield Age Concern", ["befriending", "mental-wellbeing"],
     "Woodwork, repairs and company in a community workshop.",
     "Adults, mostly older men, who would like company and something to do.", (18, None), True, "Drop in.",
     ("East Northfield", "NF4 NF5 NF6"), (["TU", "FR"], time(10), time(15)), None, "", 12),
    ("Handyperson service", "Northfield Council Adult Social Care", ["home-help", "falls"],
     "Small repairs and adaptations at home for older and disabled people.",
     "People aged 60 and over or with a disability, who own or rent privately.", (60, None), True, "Phone to book.",
     ("Northfield", ALL_NF), (WEEKDAYS, time(8), time(16)), None, "01632 960061", 18),
]
RETIRED = [("Day centre (closed)", "Northfield Age Concern", ["befriending"],
            "The day centre closed in March; see the lunch club and friendship group instead.")]


def _id(*parts: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(parts))


def load(editor) -> int:
    """Make the demo directory; returns how many services it created."""
    taxonomy = Taxonomy.objects.filter(pk=_id("taxonomy")).first()
    if taxonomy is None:
        taxonomy = Taxonomy(id=_id("taxonomy"), name=TAXONOMY[0], description=TAXONOMY[1])
        save_as(taxonomy, editor)
    terms = {}
    for code, name in TERMS:
        term = TaxonomyTerm.objects.filter(pk=_id("term", code)).first()
        if term is None:
            term = TaxonomyTerm(id=_id("term", code), code=code, name=name, description=name, taxonomy=taxonomy)
            save_as(term, editor)
        terms[code] = term
    organisations = {}
    for name, description, website in ORGANISATIONS:
        organisations[name] = Organization.objects.filter(name=name).first() or services.organization_create(
            actor=editor, name=name, description=description, website=website
        )
    locations = {}
    for name, organisation, address, postcode in LOCATIONS:
        locations[name] = Location.objects.filter(name=name).first() or services.location_create(
            actor=editor, name=name, organization=organisations[organisation], address_1=address,
            city="Northfield", state_province="Northshire", postal_code=postcode,
        )
    today = timezone.localdate()
    created = 0
    for (name, organisation, term_codes, description, eligibility, (low, high), self_referral, how, (area, districts),
         (days, opens, closes), location, phone, months) in SERVICES:  # fmt: skip
        if Service.objects.filter(name=name, organization=organisations[organisation]).exists():
            continue
        services.service_create(
            actor=editor, organization=organisations[organisation], name=name, description=description,
            eligibility=eligibility, minimum_age=low, maximum_age=high, self_referral=self_referral,
            referral_method=how, assured_date=today - timedelta(days=30 * months),
            terms=[terms[code] for code in term_codes], locations=[locations[location]] if location else [],
            area=services.Area(area, districts), opening_times=services.OpeningTimes(days, opens, closes), phone=phone,
        )
        created += 1
    for name, organisation, term_codes, description in RETIRED:
        if Service.objects.filter(name=name).exists():
            continue
        service = services.service_create(
            actor=editor, organization=organisations[organisation], name=name, description=description,
            terms=[terms[code] for code in term_codes], area=services.Area("Northfield", ALL_NF),
        )
        services.service_retire(service=service, actor=editor)
        created += 1
    return created

"""The dashboard's front desk, escalation, IRR and Transfer of Care figures on hand-built data with known answers."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ccc.reporting import Period, PeriodKind, Scope
from directory.models import Signposting
from directory.selectors import signposting_by_service, unmet_needs
from discharge.models import Attribution, BedOccupancy, Delay, RegisterEntry
from discharge.selectors import bed_occupancy, delayed_transfer_rate, mffd_today, stranded_now
from escalations.models import Clock, Escalation
from escalations.selectors import escalations_live_now, escalations_per_week
from irr.models import Episode, TeamCapacity, Visit
from irr.selectors import irr_capacity_now
from referrals.models import Contact, Referral
from referrals.selectors import contacts_by_outcome, contacts_by_source, contacts_per_day, contacts_per_hour_of_week
from referrals.services import contact_amend
from tests import factories

EVERYWHERE = Scope(None)
# Monday 24 to Sunday 30 March 2025: the clocks went forward at 01:00 UTC on the Sunday.
CLOCK_CHANGE_WEEK = Period.around(PeriodKind.WEEK, date(2025, 3, 26))
EMPTY_WEEK = Period.around(PeriodKind.WEEK, date(2025, 1, 8))
JUNE = Period.around(PeriodKind.MONTH, date(2025, 6, 15))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def by(rows: list[dict], key: str, value: str) -> dict:
    return {row[key]: row[value] for row in rows}


# --- Contacts ---------------------------------------------------------------------------------


@pytest.fixture
def contact(call_handler):
    def make(started_at, **kwargs):
        return factories.contact(actor=call_handler, started_at=started_at, **kwargs)

    return make


def test_contacts_are_counted_on_their_uk_day_and_hour_across_the_clocks_going_forward(contact):
    contact(utc(2025, 3, 23, 23, 30))  # Sunday 23rd 23:30 GMT: the week before
    contact(utc(2025, 3, 24, 0, 30), caller_type=Referral.ReferrerType.GP)  # Monday 00:30 GMT
    contact(utc(2025, 3, 30, 0, 30))  # Sunday 00:30 GMT
    contact(utc(2025, 3, 30, 1, 30), caller_type=Referral.ReferrerType.GP)  # Sunday 02:30 BST
    contact(utc(2025, 3, 30, 22, 30))  # Sunday 23:30 BST
    contact(utc(2025, 3, 30, 23, 30))  # Monday 31st 00:30 BST: the week after

    per_day = by(contacts_per_day(CLOCK_CHANGE_WEEK, EVERYWHERE), "day", "contacts")
    per_hour = {
        (row["weekday"], row["hour"]): row["contacts"]
        for row in contacts_per_hour_of_week(CLOCK_CHANGE_WEEK, EVERYWHERE)
    }
    by_source = contacts_by_source(CLOCK_CHANGE_WEEK, EVERYWHERE)

    assert per_day == {date(2025, 3, 24): 1, **{date(2025, 3, d): 0 for d in range(25, 30)}, date(2025, 3, 30): 3}
    assert len(per_hour) == 168 and sum(per_hour.values()) == 4
    assert per_hour[("Monday", "00:00")] == 1
    assert [per_hour[("Sunday", f"{hour:02d}:00")] for hour in (0, 1, 2, 23)] == [1, 0, 1, 1]
    assert by_source[:2] == [{"source": "GP", "contacts": 2}, {"source": "Patient (self-referral)", "contacts": 2}]
    assert len(by_source) == len(Referral.ReferrerType.choices)


def test_an_amended_contact_counts_once_as_amended(contact, call_handler):
    first = contact(utc(2025, 6, 2, 10), outcome=Contact.Outcome.ADVICE_GIVEN)
    contact_amend(
        contact=first,
        actor=call_handler,
        idempotency_key=uuid.uuid4().hex,
        amendment_reason="It was just to talk",
        outcome=Contact.Outcome.JUST_TO_TALK,
    )
    contact(utc(2025, 6, 3, 10), outcome=Contact.Outcome.JUST_TO_TALK)
    contact(utc(2025, 6, 3, 11), outcome=Contact.Outcome.SIGNPOSTED, signposted_to="Age UK befriending")

    outcomes = by(contacts_by_outcome(JUNE, EVERYWHERE), "outcome", "contacts")

    assert outcomes == {
        "Referral created": 0,
        "Referral pending": 0,
        "Advice given": 0,
        "Signposted to a service": 1,
        "Just to talk": 2,
        "Transferred": 0,
        "Call back requested": 0,
        "No action": 0,
    }
    assert sum(row["contacts"] for row in contacts_per_day(JUNE, EVERYWHERE)) == 3


def test_signposting_is_counted_per_service_and_unmet_needs_per_need(call_handler):
    befriending = factories.directory_service(name="Befriending")
    foodbank = factories.directory_service(name="Food bank")

    def signpost(at, service=None, need="Loneliness"):
        Signposting.objects.create(
            service=service, need=need, unmet_need=service is None, signposted_by=call_handler, signposted_at=at
        )

    signpost(utc(2025, 6, 2, 9), befriending)
    signpost(utc(2025, 6, 3, 9), befriending)
    signpost(utc(2025, 6, 4, 9), foodbank, need="Food")
    signpost(utc(2025, 6, 4, 9), need="Hoarding support")
    signpost(utc(2025, 6, 5, 9), need="Hoarding support")
    signpost(utc(2025, 6, 5, 9), need="Pet care")
    signpost(utc(2025, 7, 1, 9), befriending)  # July: not counted
    signpost(utc(2025, 5, 31, 22, 30), need="Pet care")  # 23:30 BST on 31 May: not counted

    assert signposting_by_service(JUNE, EVERYWHERE) == [
        {"service": "Befriending", "signposted": 2},
        {"service": "Food bank", "signposted": 1},
    ]
    assert unmet_needs(JUNE, EVERYWHERE) == [
        {"need": "Hoarding support", "unmet": 2},
        {"need": "Pet care", "unmet": 1},
    ]


# --- Escalations ------------------------------------------------------------------------------


@pytest.fixture
def clock_for(falls, call_handler):
    def make(queue, *, state=Clock.State.OPEN):
        referral = factories.referral(need=falls, actor=call_handler)
        start = timezone.now()
        # Hand-built: the referral's own triage clock (if the service started one) is not what is counted.
        return Clock.objects.create(
            subject_type=ContentType.objects.get_for_model(Referral),
            subject_id=referral.pk,
            kind=f"figure-test-{uuid.uuid4().hex[:8]}",
            label=str(referral),
            queue=queue,
            state=state,
            started_at=start,
            warn_at=start,
            due_at=start,
        )

    return make


def escalate(clock, rung, fired_at, name=None, kind=Escalation.Kind.ESCALATION):
    return Escalation.objects.create(
        clock=clock,
        rung=rung,
        cycle=clock.cycle,
        kind=kind,
        rung_name=name or {0: "", 1: "Duty lead", 2: "Service manager"}[rung],
        scheduled_at=fired_at,
        fired_at=fired_at,
        summary="Waiting too long",
    )


def test_escalations_live_now_are_each_open_items_highest_rung(clock_for, physical_queue, mental_queue):
    now = timezone.now()
    climbing = clock_for(physical_queue)
    escalate(climbing, 0, now, kind=Escalation.Kind.WARNING)
    escalate(climbing, 1, now)
    escalate(climbing, 2, now)
    escalate(clock_for(physical_queue), 1, now)
    escalate(clock_for(mental_queue), 1, now)
    escalate(clock_for(physical_queue, state=Clock.State.ANSWERED), 2, now)  # answered: not live

    everywhere = escalations_live_now(EMPTY_WEEK, EVERYWHERE)
    physical_only = escalations_live_now(EMPTY_WEEK, Scope(frozenset({physical_queue.pk})))

    assert everywhere == [
        {"queue": "Mental health duty queue", "rung": "1. Duty lead", "live": 1},
        {"queue": "Physical health duty queue", "rung": "1. Duty lead", "live": 1},
        {"queue": "Physical health duty queue", "rung": "2. Service manager", "live": 1},
    ]
    assert physical_only == everywhere[1:]


def test_escalations_per_week_follow_uk_weeks_across_the_clock_change(clock_for, physical_queue):
    escalate(clock_for(physical_queue), 1, utc(2025, 3, 24, 0, 30))  # Monday 00:30 GMT
    escalate(clock_for(physical_queue), 1, utc(2025, 3, 30, 22, 30))  # Sunday 23:30 BST: same week
    escalate(clock_for(physical_queue), 2, utc(2025, 3, 30, 23, 30))  # Monday 31st 00:30 BST: next week
    escalate(clock_for(physical_queue), 0, utc(2025, 3, 25, 9), kind=Escalation.Kind.WARNING)  # a warning
    two_weeks = Period.around(PeriodKind.CUSTOM, date(2025, 3, 24), date(2025, 4, 6))

    rows = escalations_per_week(two_weeks, EVERYWHERE)

    assert rows == [
        {"week": date(2025, 3, 24), "queue": physical_queue.name, "rung": "1. Duty lead", "escalations": 2},
        {"week": date(2025, 3, 31), "queue": physical_queue.name, "rung": "2. Service manager", "escalations": 1},
    ]
    assert escalations_per_week(two_weeks, Scope(frozenset())) == []
    assert escalations_per_week(EMPTY_WEEK, EVERYWHERE) == []


# --- IRR --------------------------------------------------------------------------------------


def test_irr_capacity_counts_open_episodes_and_todays_visits_per_team(irr_team, clinician, physical_queue):
    other = factories.team(name="IRR mental health")
    TeamCapacity.objects.create(team=irr_team, open_episodes=3, visits_per_day=2)
    TeamCapacity.objects.create(team=other, open_episodes=5, visits_per_day=10)
    now = timezone.now()

    def episode(team, status=Episode.Status.OPEN):
        return Episode.objects.create(
            patient=factories.patient(),
            team=team,
            lead_professional=clinician,
            goals="Stay at home",
            opened_at=now - timedelta(days=2),
            opened_by=clinician,
            planned_end=timezone.localdate() + timedelta(days=10),
            status=status,
            closed_at=now if status == Episode.Status.CLOSED else None,
            outcome="stayed_at_home" if status == Episode.Status.CLOSED else "",
        )

    first, second = episode(irr_team), episode(irr_team)
    episode(irr_team, Episode.Status.CLOSED)
    for ep, when in ((first, now), (second, now), (first, now + timedelta(days=2))):
        Visit.objects.create(episode=ep, kind=Visit.Kind.PLANNED, scheduled_for=when, planned_by=clinician)

    rows = irr_capacity_now(EMPTY_WEEK, EVERYWHERE)

    assert rows == [
        {
            "team": "IRR mental health",
            "open_episodes": 0,
            "open_episodes_limit": 5,
            "visits_today": 0,
            "visits_per_day_limit": 10,
            "full": "No",
        },
        {
            "team": "IRR physical health",
            "open_episodes": 2,
            "open_episodes_limit": 3,
            "visits_today": 2,
            "visits_per_day_limit": 2,
            "full": "Yes",
        },
    ]
    # A team lead's scope (their team's duty queues) shows their own team only.
    assert irr_capacity_now(EMPTY_WEEK, Scope(frozenset({physical_queue.pk}))) == rows[1:]


# --- Transfer of Care -------------------------------------------------------------------------


def test_mffd_today_by_pathway_and_stranded_counts(toc_member):
    today = timezone.localdate()
    on_pathway_2 = factories.register_entry(actor=toc_member, admitted_on=today - timedelta(days=21))
    RegisterEntry.objects.filter(pk=on_pathway_2.pk).update(pathway=2)
    factories.register_entry(actor=toc_member, admitted_on=today - timedelta(days=7))  # no plan yet
    factories.register_entry(actor=toc_member, admitted_on=today - timedelta(days=6), fit_on=None)  # not MFFD
    gone = factories.register_entry(actor=toc_member, admitted_on=today - timedelta(days=30))
    RegisterEntry.objects.filter(pk=gone.pk).update(status=RegisterEntry.Status.DISCHARGED, discharged_on=today)
    factories.pathway_service(pathway=2, capacity=10)

    assert by(mffd_today(EMPTY_WEEK, EVERYWHERE), "pathway", "patients") == {
        "No plan yet": 1,
        "Pathway 0: home, no new support": 0,
        "Pathway 1: home with support (IRR, up to six weeks)": 0,
        "Pathway 2: intermediate-care bed with rehabilitation": 1,
        "Pathway 3: discharge to assess with nursing needs": 0,
    }
    assert (
        by(mffd_today(EMPTY_WEEK, EVERYWHERE), "pathway", "free_places")[
            "Pathway 2: intermediate-care bed with rehabilitation"
        ]
        == 10
    )
    assert stranded_now(EMPTY_WEEK, EVERYWHERE) == [
        {"measure": "Stranded (7 days or more)", "patients": 2},
        {"measure": "Super-stranded (21 days or more)", "patients": 1},
    ]


def test_the_delayed_transfer_rate_and_occupancy_for_each_month_of_the_period(toc_member):
    ward = factories.ward(name="Ward 7")
    entry = factories.register_entry(
        actor=toc_member, ward_=ward, admitted_on=date(2025, 5, 20), fit_on=date(2025, 5, 25)
    )
    reason = factories.delay_reason()

    def delay(attribution, starts_on, ends_on):
        Delay.objects.create(
            entry=entry,
            reason=reason,
            attribution=attribution,
            starts_on=starts_on,
            ends_on=ends_on,
            recorded_by=toc_member,
            recorded_at=timezone.now(),
        )

    delay(Attribution.NHS, date(2025, 5, 29), date(2025, 6, 11))  # 10 midnights in June, 3 in May
    delay(Attribution.SOCIAL_CARE, date(2025, 6, 20), date(2025, 6, 25))  # 5 midnights
    for day in range(1, 31):
        BedOccupancy.objects.create(ward=ward, date=date(2025, 6, day), occupied_beds=100, recorded_by=toc_member)

    rows = delayed_transfer_rate(JUNE, EVERYWHERE)
    occupancy = bed_occupancy(JUNE, EVERYWHERE)

    # 15 delayed days over 3,000 occupied bed days: 0.5%, within the 3.5% target.
    assert [(row["attribution"], row["delayed_days"], row["rate_percent"], row["within_target"]) for row in rows] == [
        ("All", 15, 0.5, "Yes"),
        ("NHS", 10, 0.33, "Yes"),
        ("Social care", 5, 0.17, "Yes"),
    ]
    assert {(row["month"], row["occupied_bed_days"], row["target_percent"]) for row in rows} == {
        ("June 2025", 3000, 3.5)
    }
    assert occupancy == [{"month": "June 2025", "ward": "Ward 7", "occupied_bed_days": 3000, "days_recorded": 30}]
    # A week across the end of May counts both months; May had delays but no occupancy: no rate.
    straddling = delayed_transfer_rate(Period.around(PeriodKind.WEEK, date(2025, 5, 28)), EVERYWHERE)
    assert [(row["month"], row["attribution"], row["delayed_days"], row["rate_percent"]) for row in straddling] == [
        ("May 2025", "All", 3, None),
        ("May 2025", "NHS", 3, None),
        ("June 2025", "All", 15, 0.5),
        ("June 2025", "NHS", 10, 0.33),
        ("June 2025", "Social care", 5, 0.17),
    ]


# --- Empty periods ----------------------------------------------------------------------------


def test_an_empty_period_has_zeros_or_nothing_in_every_new_figure(db):
    assert {row["contacts"] for row in contacts_per_day(EMPTY_WEEK, EVERYWHERE)} == {0}
    assert len(contacts_per_day(EMPTY_WEEK, EVERYWHERE)) == 7
    assert {row["contacts"] for row in contacts_per_hour_of_week(EMPTY_WEEK, EVERYWHERE)} == {0}
    assert {row["contacts"] for row in contacts_by_source(EMPTY_WEEK, EVERYWHERE)} == {0}
    assert {row["contacts"] for row in contacts_by_outcome(EMPTY_WEEK, EVERYWHERE)} == {0}
    assert signposting_by_service(EMPTY_WEEK, EVERYWHERE) == []
    assert unmet_needs(EMPTY_WEEK, EVERYWHERE) == []
    assert escalations_live_now(EMPTY_WEEK, EVERYWHERE) == []
    assert escalations_per_week(EMPTY_WEEK, EVERYWHERE) == []
    assert irr_capacity_now(EMPTY_WEEK, EVERYWHERE) == []
    assert {row["patients"] for row in mffd_today(EMPTY_WEEK, EVERYWHERE)} == {0}
    assert stranded_now(EMPTY_WEEK, EVERYWHERE) == [
        {"measure": "Stranded (7 days or more)", "patients": 0},
        {"measure": "Super-stranded (21 days or more)", "patients": 0},
    ]
    assert delayed_transfer_rate(EMPTY_WEEK, EVERYWHERE) == [
        {
            "month": "January 2025",
            "attribution": "All",
            "delayed_days": 0,
            "occupied_bed_days": 0,
            "rate_percent": None,
            "target_percent": 3.5,
            "within_target": None,
        }
    ]
    assert bed_occupancy(EMPTY_WEEK, EVERYWHERE) == []

"""One patient page: their IRR episodes, Transfer of Care stays, due calls and transport, so nobody
asks the patient to repeat themselves; each section only for the roles allowed to see it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ccc.models import User
from discharge import services as discharge_services
from irr import services as irr_services
from referrals import services as referral_services
from referrals.models import TransportBooking
from referrals.patient_page import SECTIONS, patient_sections
from tests import factories


@pytest.fixture
def known_everywhere(falls, call_handler, irr_clinician, irr_team, toc_nurse, ward):
    """A patient with an open IRR episode (a visit planned), a register entry with a delay, a due
    follow-up call and a transport booking."""
    referral = factories.referral(need=falls, actor=call_handler)
    patient = referral.patient
    episode = factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician), lead=irr_clinician)
    visit_at = timezone.now() + timedelta(days=1)
    irr_services.visit_schedule(
        episode=episode, kind="planned", scheduled_for=visit_at, staff=[factories.member(episode_=episode)],
        actor=irr_clinician,
    )
    entry = factories.register_entry(actor=toc_nurse, ward_=ward, patient_=patient)
    discharge_services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
    )
    call = factories.follow_up_call(patient_=patient, actor=call_handler, reason="Check the new tablets suit her")
    booking = factories.transport_booking(actor=call_handler, patient_=patient, destination="Eye clinic, Northfield")
    return {"patient": patient, "episode": episode, "visit_at": visit_at, "entry": entry, "call": call, "booking": booking}


def patient_page(client, user, patient):
    client.force_login(user)
    return client.get(reverse("referrals:patient_detail", args=[patient.public_id]))


def test_a_manager_sees_the_episode_the_register_entry_the_due_call_and_the_transport(client, manager, known_everywhere, irr_team, irr_clinician, ward):
    response = patient_page(client, manager, known_everywhere["patient"])

    body = response.content.decode()
    episode = known_everywhere["episode"]
    assert reverse("irr:episode_detail", args=[episode.public_id]) in body
    assert irr_team.name in body and str(irr_clinician) in body
    assert timezone.localtime(known_everywhere["visit_at"]).strftime("%H:%M") in body  # the next visit
    assert reverse("discharge:entry_detail", args=[known_everywhere["entry"].public_id]) in body
    assert ward.name in body and "Patient or family choice" in body and "In hospital" in body
    assert "Check the new tablets suit her" in body
    assert "Eye clinic, Northfield" in body
    # A manager watches; they do not schedule calls or book transport.
    assert "Schedule a follow-up call" not in body and "Book transport" not in body


def test_a_call_handler_sees_calls_and_transport_but_not_episodes_or_the_register(client, call_handler, known_everywhere, ward):
    patient = known_everywhere["patient"]

    body = patient_page(client, call_handler, patient).content.decode()

    assert "Check the new tablets suit her" in body and "Eye clinic, Northfield" in body
    assert "Open IRR episodes" not in body and "Transfer of Care" not in body
    assert reverse("irr:episode_detail", args=[known_everywhere["episode"].public_id]) not in body
    assert ward.name not in body
    assert reverse("referrals:follow_up_call_schedule", args=[patient.public_id]) in body
    assert reverse("referrals:transport_create", args=[patient.public_id]) in body


def test_a_discharged_stay_shows_as_discharged_and_past_or_cancelled_transport_does_not_show(client, manager, call_handler, toc_nurse, ward):
    patient = factories.patient()
    entry = factories.register_entry(actor=toc_nurse, ward_=ward, patient_=patient)
    discharge_services.entry_discharge(
        entry=entry, actor=toc_nurse, discharged_on=timezone.localdate(), destination="Home", pathway_used=0,
        readmission_risk="low",
    )
    past = factories.transport_booking(actor=call_handler, patient_=patient, destination="Yesterday's clinic")
    cancelled = factories.transport_booking(actor=call_handler, patient_=patient, destination="Cancelled clinic")
    # Bookings cannot be made in the past: move the pick-up back as time passing would.
    TransportBooking.objects.filter(pk=past.pk).update(pickup_at=timezone.now() - timedelta(days=1))
    TransportBooking.objects.filter(pk=cancelled.pk).update(status=TransportBooking.Status.CANCELLED)
    answered = factories.follow_up_call(patient_=patient, actor=call_handler, reason="Already answered")
    referral_services.follow_up_call_record_outcome(call=answered, status="answered_well", actor=call_handler)

    body = patient_page(client, manager, patient).content.decode()

    assert f"Discharged {timezone.localdate():%-d %b %Y}" in body
    assert "Yesterday&#x27;s clinic" not in body and "Cancelled clinic" not in body
    assert "No upcoming transport." in body
    assert "Already answered" not in body and "No follow-up calls due." in body
    assert "No open IRR episodes." in body


def test_a_clinician_sees_only_their_own_teams_episodes_in_the_summary(known_everywhere, physical_queue):
    """The summary is scoped as the episode list is, whoever it is read for."""
    patient = known_everywhere["patient"]
    elsewhere = factories.user(User.Role.DUTY_CLINICIAN, queues=[physical_queue], team=factories.team(name="IRR east"))

    lead = known_everywhere["episode"].lead_professional

    def episodes_section(fetched_by):
        # Clinicians may not open the patient page itself (no patient.view): its sections are read for them.
        sections = {section.name: section.context for section in patient_sections(patient=patient, fetched_by=fetched_by)}
        return sections["irr_episodes"]["episodes"]

    assert episodes_section(elsewhere) == []
    assert episodes_section(lead) == [known_everywhere["episode"]]


def test_the_patient_page_is_a_fixed_number_of_queries(client, manager, known_everywhere, call_handler, toc_nurse, ward, django_assert_num_queries):
    patient = known_everywhere["patient"]
    client.force_login(manager)
    url = reverse("referrals:patient_detail", args=[patient.public_id])
    client.get(url)

    # session, user, patient, the frequent-contact rule, recent contact count, open referrals (with their
    # joins), contacts (with recorder and referral), open IRR episodes (team, lead, next visit annotated),
    # register entries (ward, owner, current delay and booking as subqueries), due calls, upcoming
    # transport, phones, next of kin and carers, safety alerts, the header's unread notifications,
    # and the access log's one insert
    with django_assert_num_queries(16):
        client.get(url)
    for n in range(3):
        factories.follow_up_call(patient_=patient, actor=call_handler)
        factories.transport_booking(actor=call_handler, patient_=patient)
        factories.contact(actor=call_handler, patient=patient)
        factories.safety_alert(patient_=patient, actor=call_handler, category="animals", detail="Dogs")
        factories.patient_phone(patient_=patient, actor=call_handler, number=f"0113 496 01{n}0")
        factories.support_person(patient_=patient, actor=call_handler)
    with django_assert_num_queries(16):
        response = client.get(url)
    summary = response.context["summary"]
    counts = (len(summary.section("follow_up_calls")["calls"]), len(summary.section("transport")["bookings"]))
    assert counts + (len(summary.section("irr_episodes")["episodes"]),) == (4, 4, 1)


# Issue 13: the Transfer of Care team and the IRR team open the patients they work with.
@pytest.mark.parametrize(("role", "linked"), [("manager", True), ("toc", True)])
def test_the_register_entry_links_to_the_patient_page_for_roles_that_see_patients(client, role, linked, toc_nurse, ward):
    entry = factories.register_entry(actor=toc_nurse, ward_=ward)
    client.force_login(factories.user(role))

    body = client.get(reverse("discharge:entry_detail", args=[entry.public_id])).content.decode()

    assert (reverse("referrals:patient_detail", args=[entry.patient.public_id]) in body) is linked


@pytest.mark.parametrize(("who", "linked"), [("manager", True), ("irr_clinician", True)])
def test_the_episode_links_to_the_patient_page_for_roles_that_see_patients(client, request, who, linked, known_everywhere):
    episode = known_everywhere["episode"]
    client.force_login(request.getfixturevalue(who))

    body = client.get(reverse("irr:episode_detail", args=[episode.public_id])).content.decode()

    assert (reverse("referrals:patient_detail", args=[episode.patient.public_id]) in body) is linked


def test_each_app_provides_its_own_section_of_the_patient_page_in_page_order():
    assert sorted(SECTIONS, key=lambda name: SECTIONS[name].order) == [
        "irr_episodes", "toc_register", "follow_up_calls", "transport",
    ]
    assert SECTIONS["irr_episodes"].fetch.__module__ == "irr.patient_sections"
    assert SECTIONS["toc_register"].fetch.__module__ == "discharge.patient_sections"


def test_a_role_that_may_not_see_a_section_does_not_get_it_at_all(call_handler, known_everywhere):
    shown = [section.name for section in patient_sections(patient=known_everywhere["patient"], fetched_by=call_handler)]

    assert shown == ["follow_up_calls", "transport"]


def test_the_referrals_app_imports_neither_irr_nor_discharge():
    """The patient page is assembled from sections the apps register: referrals depends on neither."""
    import ast
    from pathlib import Path

    import referrals

    imported = set()
    for path in Path(referrals.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module.split(".")[0]))
            elif isinstance(node, ast.Import):
                imported.update((path.name, alias.name.split(".")[0]) for alias in node.names)
    assert sorted(entry for entry in imported if entry[1] in {"irr", "discharge"}) == []

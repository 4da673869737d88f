"""Hazard "lone visit / risk to staff alert shown": a patient's safety alerts, number to call and
risk show where work happens (duty queue rows, triage, IRR episode and visit pages, follow-up calls),
each list in a fixed number of queries; and the pages that record details and alerts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from irr import services as irr_services
from referrals.models import PatientPhone, SafetyAlert
from tests import factories
from triage import services as triage_services

pytestmark = pytest.mark.django_db

ALERT_TEXT = "Son at home can be verbally aggressive: visit in pairs"


@pytest.fixture
def alerted(referral, call_handler):
    """The referral's patient with a risk-to-staff alert and a number to call first."""
    factories.safety_alert(patient_=referral.patient, actor=call_handler, detail=ALERT_TEXT)
    factories.patient_phone(patient_=referral.patient, actor=call_handler, number="0113 496 0000")
    return referral


@pytest.fixture
def episode(alerted, irr_clinician):
    decision = factories.triaged(referral_=alerted, clinician=irr_clinician, lone_working_risk=True)
    return factories.episode(decision=decision, lead=irr_clinician)


def test_the_duty_queue_row_shows_the_risk_to_staff_alert(client, alerted, clinician, physical_queue):
    client.force_login(clinician)

    page = client.get(reverse("triage:queue_items_fragment", args=[physical_queue.code])).content.decode()

    assert 'data-alert="risk_to_staff"' in page and "Risk to staff" in page


def test_an_ended_alert_no_longer_shows_on_the_queue(client, alerted, clinician, call_handler, physical_queue):
    from referrals import services

    services.safety_alert_end(actor=call_handler, alert=SafetyAlert.objects.get(), reason="Son moved out")
    client.force_login(clinician)

    page = client.get(reverse("triage:queue_items_fragment", args=[physical_queue.code])).content.decode()

    assert 'data-alert="risk_to_staff"' not in page


def test_the_queue_stays_one_query_for_its_rows_however_many_have_alerts(
    client, falls, call_handler, clinician, physical_queue, django_assert_num_queries
):
    url = reverse("triage:queue_items_fragment", args=[physical_queue.code])
    first = factories.referral(need=falls, actor=call_handler)
    factories.safety_alert(patient_=first.patient, actor=call_handler)
    client.force_login(clinician)
    client.get(url)
    with django_assert_num_queries(7) as one:  # with the queue's count for its pages
        client.get(url)
    for _ in range(3):
        more = factories.referral(need=falls, actor=call_handler)
        factories.safety_alert(patient_=more.patient, actor=call_handler, category="animals", detail="Two dogs")
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-alert="animals"') == 3


def test_the_triage_page_shows_the_alert_in_full(client, alerted, clinician):
    triage_services.queue_item_claim(item=alerted.queue_item, actor=clinician)
    client.force_login(clinician)

    page = client.get(reverse("triage:item_triage", args=[alerted.queue_item.public_id])).content.decode()

    assert 'data-testid="safety-alerts"' in page and ALERT_TEXT in page


def test_the_episode_page_shows_alerts_address_nhs_number_phone_risk_and_respond_by(client, episode, irr_clinician):
    client.force_login(irr_clinician)

    page = client.get(reverse("irr:episode_detail", args=[episode.public_id])).content.decode()

    assert ALERT_TEXT in page
    assert episode.patient.postcode in page
    assert "0113 496 0000" in page
    assert "lone-working risk: visit in pairs" in page
    assert 'data-testid="respond-by"' in page


@pytest.mark.parametrize("visit_page", ["plan", "record"])
def test_every_visit_page_shows_the_alert_and_the_number_to_call(client, episode, irr_clinician, visit_page):
    if visit_page == "plan":
        url = reverse("irr:visit_plan", args=[episode.public_id])
    else:
        staff = [factories.member(episode_=episode), factories.member(episode_=episode, discipline="support_worker")]
        visit = irr_services.visit_schedule(episode=episode, kind="planned", scheduled_for=timezone.now() + timedelta(hours=1),
                                            staff=staff, actor=irr_clinician)
        url = reverse("irr:visit_record", args=[visit.public_id])
    client.force_login(irr_clinician)

    page = client.get(url).content.decode()

    assert ALERT_TEXT in page
    assert "0113 496 0000" in page
    assert 'data-testid="risk"' in page


def test_the_follow_up_list_shows_the_number_to_dial_in_one_query(client, call_handler, django_assert_num_queries):
    url = reverse("referrals:follow_up_work_list")
    patient = factories.patient()
    factories.patient_phone(patient_=patient, actor=call_handler, number="0113 496 0000")
    factories.follow_up_call(patient_=patient, actor=call_handler)
    client.force_login(call_handler)
    client.get(url)
    with django_assert_num_queries(4) as one:
        page = client.get(url).content.decode()
    assert 'href="tel:+441134960000"' in page
    for n in range(3):
        other = factories.patient()
        factories.patient_phone(patient_=other, actor=call_handler, number=f"0113 496 000{n + 1}")
        factories.follow_up_call(patient_=other, actor=call_handler)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="number-to-dial"') == 4


def test_a_clinician_raises_an_alert_from_the_details_page_and_a_bad_date_keeps_the_text(client, clinician):
    patient = factories.patient()
    client.force_login(clinician)
    url = reverse("referrals:safety_alert_raise", args=[patient.public_id])

    response = client.post(url, {"category": "risk_to_staff", "detail": ALERT_TEXT, "review_on": "1 1 2000"})
    assert "The review date must be after today" in response.content.decode()
    assert ALERT_TEXT in response.content.decode()
    assert not SafetyAlert.objects.exists()

    review = (timezone.localdate() + timedelta(days=30)).strftime("%d %m %Y")
    response = client.post(url, {"category": "risk_to_staff", "detail": ALERT_TEXT, "review_on": review})
    assert response.status_code == 302
    assert SafetyAlert.objects.get().raised_by == clinician


def test_a_bad_phone_number_on_the_page_is_refused_and_kept(client, call_handler):
    patient = factories.patient()
    client.force_login(call_handler)

    response = client.post(reverse("referrals:patient_phone_add", args=[patient.public_id]),
                           {"number": "0113 49", "kind": "home"})

    assert response.status_code == 200
    assert "0113 49" in response.content.decode()
    assert not PatientPhone.objects.exists()


def test_the_patient_page_shows_alerts_phones_and_next_of_kin(client, call_handler):
    patient = factories.patient()
    factories.safety_alert(patient_=patient, actor=call_handler, category="infection", detail="MRSA: wear PPE")
    factories.patient_phone(patient_=patient, actor=call_handler)
    factories.support_person(patient_=patient, actor=call_handler, name="Ann Smith", relationship="daughter")
    client.force_login(call_handler)

    page = client.get(reverse("referrals:patient_detail", args=[patient.public_id])).content.decode()

    assert "MRSA: wear PPE" in page and "0113 496 0000" in page and "Ann Smith" in page


@pytest.mark.parametrize("role", ["manager", "toc_nurse"])
def test_roles_that_may_not_record_details_are_refused(client, role, request):
    patient = factories.patient()
    client.force_login(request.getfixturevalue(role))
    review = (timezone.localdate() + timedelta(days=30)).strftime("%d %m %Y")

    response = client.post(reverse("referrals:safety_alert_raise", args=[patient.public_id]),
                           {"category": "animals", "detail": "Dog", "review_on": review})

    assert response.status_code == 403
    assert not SafetyAlert.objects.exists()

"""A call handler's journey through the pages: find the patient, add them, record a referral."""

from datetime import date

import pytest
from django.urls import reverse

from referrals.models import Patient, Referral
from tests import factories


@pytest.fixture
def handler_client(client, call_handler):
    client.force_login(call_handler)
    return client


def referral_form_data(need, key="key-1", **overrides):
    data = {
        "submission_key": key,
        "referrer_type": "gp",
        "referrer_name": "Dr Patel",
        "referrer_organisation": "Riverside Surgery",
        "referrer_phone": "0113 496 0000",
        "need": need.pk,
        "reason": "Fell twice this week, lives alone",
        "needs_description": "Assessment at home today",
    }
    return {**data, **overrides}


def test_searching_by_nhs_number_finds_the_patient(handler_client):
    patient = factories.patient(nhs_number="9990000018")

    response = handler_client.get(reverse("referrals:patient_find"), {"nhs_number": "999 000 0018"})

    assert response.status_code == 200
    assert patient.full_name in response.content.decode()
    assert reverse("referrals:referral_create", args=[patient.public_id]) in response.content.decode()


def test_searching_by_name_and_date_of_birth(handler_client):
    wanted = factories.patient(given_name="Edith", family_name="Crawley", date_of_birth=date(1940, 5, 1))
    factories.patient(given_name="Edith", family_name="Crawley", date_of_birth=date(1941, 5, 1))

    response = handler_client.get(reverse("referrals:patient_find"), {"name": "edith craw", "date_of_birth": "1 5 1940"})

    assert list(response.context["patients"]) == [wanted]


def test_an_empty_search_explains_what_to_enter(handler_client):
    response = handler_client.get(reverse("referrals:patient_find"), {"nhs_number": "", "name": ""})

    assert "Enter an NHS number, or a name and date of birth" in response.content.decode()
    assert "There is a problem" in response.content.decode()


def test_adding_a_patient_goes_on_to_the_referral_form(handler_client):
    practice = factories.gp_practice(name="Riverside Surgery")
    response = handler_client.post(
        reverse("referrals:patient_create"),
        {"nhs_number": "999 000 0026", "given_name": "Ruth", "family_name": "Ellis", "date_of_birth": "3 4 1948",
         "address": "1 Mill Lane", "postcode": "nf1 2ab", "gp_practice": practice.pk},
    )

    patient = Patient.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("referrals:referral_create", args=[patient.public_id])
    assert patient.nhs_number == "9990000026"
    assert patient.gp_practice == practice


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("nhs_number", "999 123 4560", "check digit"),
        ("date_of_birth", "1 1 2999", "past"),
        ("date_of_birth", "31 2 1950", "Enter a real date"),
        ("given_name", "", "Enter first name"),
    ],
)
def test_bad_patient_details_are_shown_in_the_error_summary_and_kept(handler_client, field, value, message):
    data = {"nhs_number": "", "given_name": "Ruth", "family_name": "Ellis", "date_of_birth": "3 4 1948", "postcode": "NF1 2AB"}
    data[field] = value

    response = handler_client.post(reverse("referrals:patient_create"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert 'value="Ellis"' in page  # what was typed is still there
    assert not Patient.objects.exists()


def test_a_child_is_refused_naming_childrens_services(handler_client):
    born = date.today().replace(year=date.today().year - 15)
    response = handler_client.post(
        reverse("referrals:patient_create"),
        {"given_name": "Tom", "family_name": "Young", "date_of_birth": born.strftime("%d %m %Y")},
    )

    assert "children&#x27;s services" in response.content.decode()
    assert not Patient.objects.exists()


def test_recording_a_referral_routes_it_and_shows_where_it_went(handler_client, falls):
    patient = factories.patient()

    response = handler_client.post(
        reverse("referrals:referral_create", args=[patient.public_id]), referral_form_data(falls), follow=True
    )

    referral = Referral.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("referrals:referral_detail", args=[referral.public_id])
    assert f"Referral {referral.reference} recorded and sent to Physical health duty queue" in page
    assert referral.queue_item.queue.code == "physical-health"


def test_a_double_submitted_referral_form_makes_one_referral(handler_client, falls):
    patient = factories.patient()
    url = reverse("referrals:referral_create", args=[patient.public_id])

    first = handler_client.post(url, referral_form_data(falls, key="same-form"))
    second = handler_client.post(url, referral_form_data(falls, key="same-form"), follow=True)

    assert Referral.objects.count() == 1
    assert first.url == second.redirect_chain[-1][0]
    assert "already recorded" in second.content.decode()


def test_missing_referral_fields_keep_what_was_typed(handler_client, falls):
    patient = factories.patient()

    response = handler_client.post(
        reverse("referrals:referral_create", args=[patient.public_id]),
        referral_form_data(falls, reason="", referrer_name="Dr Keep Me"),
    )

    page = response.content.decode()
    assert "There is a problem" in page
    assert 'value="Dr Keep Me"' in page
    assert not Referral.objects.exists()


def test_a_need_whose_queues_are_switched_off_is_a_clear_error(handler_client):
    off = factories.duty_queue(name="Out-of-hours duty queue", is_active=False)
    need = factories.need(queue=off, name="Night sitting")
    patient = factories.patient()

    response = handler_client.post(reverse("referrals:referral_create", args=[patient.public_id]), referral_form_data(need))

    assert "Out-of-hours duty queue is switched off" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_referral_page_shows_the_timeline(handler_client, referral, clinician):
    from triage import services

    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    services.triage_decision_record(
        item=referral.queue_item, actor=clinician, priority="urgent", outcome="accept", clinical_note="Visit today"
    )

    response = handler_client.get(reverse("referrals:referral_detail", args=[referral.public_id]))

    timeline = [event.kind for event in response.context["timeline"]]
    assert timeline == ["received", "routed", "claimed", "triaged"]
    page = response.content.decode()
    assert f"Claimed by {clinician}" in page
    assert "Urgent, Accept for rapid response" in page


def test_the_referral_list_is_one_query_however_long(handler_client, falls, call_handler, django_assert_num_queries):
    for _ in range(3):
        factories.referral(need=falls, actor=call_handler)
    url = reverse("referrals:referral_list")
    handler_client.get(url)  # warm the session

    # session, user, referrals (with patient, need, queue and claimer joined), unread notifications
    with django_assert_num_queries(4):
        handler_client.get(url)
    for _ in range(5):
        factories.referral(need=falls, actor=call_handler)
    with django_assert_num_queries(4):
        response = handler_client.get(url)
    assert len(response.context["referrals"]) == 8


def test_the_referral_page_is_a_fixed_number_of_queries(client, referral, clinician, django_assert_num_queries):
    from triage import services

    services.queue_item_claim(item=referral.queue_item, actor=clinician)
    services.triage_decision_record(
        item=referral.queue_item, actor=clinician, priority="routine", outcome="signpost", clinical_note="Befriending",
        signposted_to="Befriending service",
    )
    client.force_login(clinician)
    url = reverse("referrals:referral_detail", args=[referral.public_id])
    client.get(url)

    # session, user, the clinician's queues, the referral with its joins, its timeline, its decisions, unread notifications,
    # and (+1) its directory signpostings with their services and who signposted, and the access log's insert
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["timeline"]) == 4


def test_times_are_stored_in_utc_and_shown_in_uk_time(handler_client, falls, call_handler):
    from datetime import UTC, datetime

    summer = datetime(2026, 7, 1, 11, 30, tzinfo=UTC)  # 12:30 in London (BST)
    winter = datetime(2026, 12, 1, 11, 30, tzinfo=UTC)  # 11:30 in London (GMT)
    for received in (summer, winter):
        referral = factories.referral(need=falls, actor=call_handler, received_at=received)
        assert Referral.objects.get(pk=referral.pk).received_at == received

    page = handler_client.get(reverse("referrals:referral_list")).content.decode()

    assert "1 Jul 2026 12:30" in page
    assert "1 Dec 2026 11:30" in page


def test_the_referrers_phone_number_shows_in_uk_form(handler_client, falls, call_handler):
    referral = factories.referral(need=falls, actor=call_handler, referrer_phone="+441134960777")

    page = handler_client.get(reverse("referrals:referral_detail", args=[referral.public_id])).content.decode()

    assert "0113 496 0777" in page and "+441134960777" not in page

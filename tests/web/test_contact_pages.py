"""The front desk in the browser's terms: log contacts, find the patient, their page, duplicates, warnings."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Contact, Patient, Referral
from tests import factories


@pytest.fixture
def handler_client(client, call_handler):
    client.force_login(call_handler)
    return client


def contact_form(key="c-1", **overrides):
    data = {
        "submission_key": key,
        "caller_type": "patient",
        "channel": "phone",
        "caller_name": "Iris Bell",
        "caller_organisation": "",
        "caller_phone": "0113 496 0001",
        "started_at": timezone.localtime().strftime("%d %m %Y %H:%M"),
        "duration_minutes": "6",
        "reason": "Lonely since her husband died",
        "outcome": "just_to_talk",
        "signposted_to": "",
    }
    return {**data, **overrides}


def page(response) -> str:
    return response.content.decode()


# Logging contacts


def test_logging_a_contact_shows_it_with_its_outcome(handler_client):
    response = handler_client.post(reverse("referrals:contact_log"), contact_form(), follow=True)

    contact = Contact.objects.get()
    assert response.redirect_chain[-1][0] == reverse("referrals:contact_detail", args=[contact.public_id])
    assert f"Contact {contact.reference} logged" in page(response)
    assert contact.caller_phone == "+441134960001" and contact.outcome == "just_to_talk"
    assert "0113 496 0001" in page(response)  # shown as people read it


def test_a_double_submitted_contact_form_makes_one_contact(handler_client):
    url = reverse("referrals:contact_log")

    first = handler_client.post(url, contact_form(key="same"))
    second = handler_client.post(url, contact_form(key="same"), follow=True)

    assert Contact.objects.count() == 1
    assert first.url == second.redirect_chain[-1][0]
    assert "already recorded" in page(second)


def test_bad_contact_input_is_refused_with_clear_messages_and_keeps_what_was_typed(handler_client):
    response = handler_client.post(
        reverse("referrals:contact_log"),
        contact_form(caller_phone="0113 49", outcome="signposted", duration_minutes="9999", started_at="31 2 2026 25:00"),
    )

    body = page(response)
    assert Contact.objects.count() == 0
    assert "There is a problem" in body
    assert "Enter a valid phone number" in body
    assert "Enter a duration of 600 minutes or fewer" in body
    assert 'value="0113 49"' in body and "Lonely since her husband died" in body


def test_a_signposted_contact_must_name_the_service(handler_client):
    response = handler_client.post(reverse("referrals:contact_log"), contact_form(outcome="signposted"))

    assert "Enter the service the person was signposted to" in page(response)
    assert Contact.objects.count() == 0


def test_the_contact_form_starts_with_the_caller_and_now(handler_client):
    response = handler_client.get(reverse("referrals:contact_log"))

    form = response.context["form"]
    assert list(form.fields)[0] == "caller_type"
    assert 'autofocus' in str(form["caller_type"])
    assert form.initial["started_at"].strftime("%d %m %Y %H:%M") == timezone.localtime().strftime("%d %m %Y %H:%M")


def test_start_times_typed_in_uk_time_either_side_of_the_clock_change_are_stored_in_utc(handler_client):
    # The clocks went forward at 01:00 GMT on 29 March 2026.
    handler_client.post(reverse("referrals:contact_log"), contact_form(started_at="29 03 2026 00:30"))
    handler_client.post(reverse("referrals:contact_log"), contact_form(key="c-2", started_at="29 03 2026 10:30"))

    before, after = Contact.objects.order_by("pk")
    assert before.started_at.isoformat() == "2026-03-29T00:30:00+00:00"
    assert after.started_at.isoformat() == "2026-03-29T09:30:00+00:00"
    shown = handler_client.get(reverse("referrals:contact_detail", args=[after.public_id]))
    assert "29 Mar 2026 10:30" in page(shown)


def test_signposting_a_just_to_talk_contact_keeps_the_original(handler_client, call_handler):
    contact = factories.contact(actor=call_handler, outcome="just_to_talk")

    response = handler_client.post(
        reverse("referrals:contact_signpost", args=[contact.public_id]),
        {"submission_key": "s-1", "signposted_to": "Northfield Befriending Network"},
        follow=True,
    )

    current = Contact.objects.get(amends=contact)
    assert response.redirect_chain[-1][0] == reverse("referrals:contact_detail", args=[current.public_id])
    assert "Signposted to Northfield Befriending Network" in page(response)
    assert Contact.objects.get(pk=contact.pk).signposted_to == ""


def test_correcting_a_contact_keeps_the_original_in_its_history(handler_client, call_handler):
    contact = factories.contact(actor=call_handler, caller_name="Iris Bel")
    url = reverse("referrals:contact_amend", args=[contact.public_id])
    form = handler_client.get(url).context["form"]
    assert form.initial["caller_name"] == "Iris Bel"

    response = handler_client.post(
        url, contact_form(key="fix", caller_name="Iris Bell", outcome="advice_given", amendment_reason="Name misspelt"),
        follow=True,
    )

    assert "the original is kept" in page(response)
    versions = response.context["versions"]
    assert [v.caller_name for v in versions] == ["Iris Bel", "Iris Bell"]
    old = handler_client.get(reverse("referrals:contact_detail", args=[contact.public_id]))
    assert "This version was corrected" in page(old)


def test_an_old_version_cannot_be_corrected_it_sends_you_to_the_current_one(handler_client, call_handler):
    from referrals import services

    contact = factories.contact(actor=call_handler)
    current, _ = services.contact_amend(
        contact=contact, actor=call_handler, idempotency_key="x", amendment_reason="r", duration_minutes=2
    )

    response = handler_client.get(reverse("referrals:contact_amend", args=[contact.public_id]))

    assert response.url == reverse("referrals:contact_detail", args=[current.public_id])


def test_the_contact_page_shows_related_contacts(handler_client, call_handler):
    contact = factories.contact(actor=call_handler, caller_phone="0113 496 0001")
    other = factories.contact(actor=call_handler, caller_phone="01134960001", reason="Called again")

    response = handler_client.get(reverse("referrals:contact_detail", args=[contact.public_id]))

    assert response.context["related"] == [other]
    assert other.reference in page(response)


# Contact search and frequent contacts


def test_contact_search_finds_by_phone_however_typed_and_flags_a_frequent_caller(handler_client, call_handler):
    for _ in range(5):
        factories.contact(actor=call_handler, caller_phone="0113 496 0001", caller_name="Iris Bell")
    factories.contact(actor=call_handler, caller_phone="0113 496 0002", caller_name="Other Person")

    response = handler_client.get(reverse("referrals:contact_list"), {"q": "+44 113 496 0001"})

    assert [c.caller_name for c in response.context["contacts"]] == ["Iris Bell"] * 5
    assert "Frequent caller: 5 in 30 days" in page(response)


def test_a_caller_below_the_threshold_is_not_flagged(handler_client, call_handler):
    for _ in range(4):
        factories.contact(actor=call_handler, caller_phone="0113 496 0001")

    response = handler_client.get(reverse("referrals:contact_list"))

    assert "Frequent caller" not in page(response)


@pytest.mark.parametrize(
    "query, message",
    [
        ("a", "Enter at least 2 characters of the search"),
        ("x" * 10_000, "Enter a search of 100 characters or fewer"),
    ],
)
def test_contact_search_answers_odd_input_with_a_clear_message(handler_client, call_handler, query, message):
    factories.contact(actor=call_handler)

    response = handler_client.get(reverse("referrals:contact_list"), {"q": query})

    assert response.status_code == 200
    assert message in page(response)
    assert response.context["contacts"] == []


def test_contact_search_with_sql_looking_text_just_finds_nothing(handler_client, call_handler):
    factories.contact(actor=call_handler)

    response = handler_client.get(reverse("referrals:contact_list"), {"q": "'; DROP TABLE referrals_contact; --"})

    assert response.status_code == 200
    assert response.context["contacts"] == []
    assert Contact.objects.count() == 1


def test_the_contact_list_is_a_fixed_number_of_queries(handler_client, call_handler, django_assert_num_queries):
    patient = factories.patient()
    factories.contact(actor=call_handler, patient=patient, caller_phone="0113 496 0001")
    url = reverse("referrals:contact_list")
    handler_client.get(url)

    # session, user, the frequent contact rule, contacts with their counts, patient, recorder and referral,
    # the referrals still to raise, unread notifications (the header)
    with django_assert_num_queries(6):
        handler_client.get(url)
    for n in range(6):
        factories.contact(actor=factories.user(), patient=factories.patient(), caller_phone=f"0113 496 010{n}",
                          outcome="referral_pending" if n % 2 else "advice_given")
    with django_assert_num_queries(6):
        response = handler_client.get(url)
    assert len(response.context["contacts"]) == 7


# Finding the patient and the patient page


def test_find_the_patient_by_postcode_however_typed(handler_client):
    wanted = factories.patient(postcode="LS6 2AB")
    factories.patient(postcode="LS1 4AP")

    response = handler_client.get(reverse("referrals:patient_find"), {"postcode": "ls62ab"})

    assert response.context["patients"] == [wanted]
    assert reverse("referrals:patient_detail", args=[wanted.public_id]) in page(response)


@pytest.mark.parametrize(
    "params, message",
    [
        ({"postcode": "LS1"}, "Enter a full UK postcode, like LS1 4AP"),
        ({"name": "a"}, "Enter at least 2 characters of the name"),
        ({"name": "a" * 10_000}, "Enter a name of 200 characters or fewer"),
        ({"nhs_number": "9" * 10_000}, "Enter an NHS number with 10 digits"),
        ({"postcode": "x" * 10_000}, "Enter a full UK postcode, like LS1 4AP"),
        ({"nhs_number": "' OR 1=1; --"}, "Enter an NHS number with 10 digits"),
    ],
)
def test_patient_search_answers_odd_input_safely_and_clearly(handler_client, params, message):
    factories.patient()

    response = handler_client.get(reverse("referrals:patient_find"), params)

    assert response.status_code == 200
    assert message in page(response)
    assert response.context["patients"] is None


def test_sql_looking_names_are_just_names(handler_client):
    factories.patient()

    response = handler_client.get(reverse("referrals:patient_find"), {"name": "Robert'); DROP TABLE referrals_patient;--"})

    assert response.context["patients"] == []
    assert Patient.objects.count() == 1


def test_the_patient_page_shows_open_referrals_and_contact_history(handler_client, call_handler, falls):
    patient = factories.patient()
    referral = factories.referral(need=falls, actor=call_handler, patient_=patient)
    contact = factories.contact(actor=call_handler, patient=patient, reason="Daughter worried")

    response = handler_client.get(reverse("referrals:patient_detail", args=[patient.public_id]))

    body = page(response)
    assert referral.reference in body and contact.reference in body
    assert "Frequent contact" not in body
    assert f"?patient={patient.public_id}" in body  # log a contact about them


def test_the_patient_page_flags_a_frequent_contact(handler_client, call_handler):
    patient = factories.patient()
    for days_ago in range(5):
        factories.contact(actor=call_handler, patient=patient, started_at=timezone.now() - timedelta(days=days_ago))

    response = handler_client.get(reverse("referrals:patient_detail", args=[patient.public_id]))

    assert "Frequent contact" in page(response)
    assert "5 contacts in the last 30 days" in page(response)


def test_logging_a_contact_from_the_patient_page_links_it_to_them(handler_client):
    patient = factories.patient()

    handler_client.post(f"{reverse('referrals:contact_log')}?patient={patient.public_id}", contact_form())

    assert Contact.objects.get().patient == patient


# Probable duplicate patients


def new_patient_form(**overrides):
    data = {
        "nhs_number": "",
        "given_name": "Edith",
        "family_name": "Crawley",
        "date_of_birth": "1 5 1940",
        "address": "1 Mill Lane",
        "postcode": "ls6 2ab",
        "gp_practice": "",
    }
    return {**data, **overrides}


def test_a_probable_duplicate_is_shown_before_a_new_patient_is_made(handler_client):
    existing = factories.patient(given_name="Edith", family_name="Crawley", date_of_birth=date(1940, 5, 1), postcode="LS6 2AB")

    response = handler_client.post(reverse("referrals:patient_create"), new_patient_form(given_name="EDITH"))

    assert Patient.objects.count() == 1
    body = page(response)
    assert "This may be someone already recorded" in body
    assert reverse("referrals:patient_detail", args=[existing.public_id]) in body
    assert "This is a different person" in body


def test_confirming_a_different_person_adds_them(handler_client):
    factories.patient(given_name="Edith", family_name="Crawley", date_of_birth=date(1940, 5, 1), postcode="LS6 2AB")

    response = handler_client.post(reverse("referrals:patient_create"), new_patient_form(confirmed_different="on"))

    assert response.status_code == 302
    assert Patient.objects.filter(family_name="Crawley").count() == 2


def test_the_same_nhs_number_for_someone_else_shows_both_people_and_adds_nobody(handler_client):
    factories.patient(nhs_number="9990000018")

    response = handler_client.post(reverse("referrals:patient_create"), new_patient_form(nhs_number="999 000 0018"))

    assert "This NHS number belongs to someone else on record" in page(response)
    assert Patient.objects.count() == 1


def test_a_bad_postcode_on_a_new_patient_is_refused_and_kept(handler_client):
    response = handler_client.post(reverse("referrals:patient_create"), new_patient_form(postcode="LS6"))

    assert "Enter a full UK postcode, like LS1 4AP" in page(response)
    assert 'value="LS6"' in page(response)


def test_a_new_patients_postcode_is_stored_normalised(handler_client):
    handler_client.post(reverse("referrals:patient_create"), new_patient_form())

    assert Patient.objects.get().postcode == "LS6 2AB"


# Raising a referral from a contact, and the open referral warning


def referral_form(need, key="r-1", **overrides):
    data = {
        "submission_key": key,
        "referrer_type": "gp",
        "referrer_name": "Dr Okafor",
        "referrer_organisation": "Ash Tree Surgery",
        "referrer_phone": "0113 496 0000",
        "need": need.pk,
        "reason": "Fell twice this week",
        "needs_description": "",
    }
    return {**data, **overrides}


def test_raising_a_referral_from_a_contact_links_them_and_prefills_the_caller(handler_client, call_handler, falls, practice):
    contact = factories.contact(actor=call_handler, caller_type="gp", caller_name="Dr Okafor", outcome="referral_created")
    patient = factories.patient()
    url = f"{reverse('referrals:referral_create', args=[patient.public_id])}?contact={contact.public_id}"

    form = handler_client.get(url).context["form"]
    assert form.initial["referrer_name"] == "Dr Okafor"
    response = handler_client.post(url, referral_form(falls, referring_practice=practice.pk), follow=True)

    referral = Referral.objects.get()
    linked = Contact.objects.get(amends=contact)
    assert linked.referral == referral and linked.outcome == "referral_created" and linked.patient == patient
    assert referral.referring_practice == practice
    assert referral.referrer_phone == "+441134960000"
    assert response.redirect_chain[-1][0] == reverse("referrals:referral_detail", args=[referral.public_id])


def test_a_contact_logged_as_a_referral_goes_on_to_find_the_patient(handler_client):
    response = handler_client.post(reverse("referrals:contact_log"), contact_form(outcome="referral_pending"))

    contact = Contact.objects.get()
    assert response.url == f"{reverse('referrals:patient_find')}?contact={contact.public_id}"
    found = handler_client.get(f"{response.url}&nhs_number=9990000018")
    assert found.context["contact"] == contact


def test_an_open_referral_in_the_same_queue_is_warned_about_and_the_handler_can_go_on(handler_client, call_handler, falls):
    patient = factories.patient()
    existing = factories.referral(need=falls, actor=call_handler, patient_=patient)
    url = reverse("referrals:referral_create", args=[patient.public_id])

    warned = handler_client.post(url, referral_form(falls, key="new"))

    assert Referral.objects.count() == 1
    assert "already has an open referral in this queue" in page(warned)
    assert reverse("referrals:referral_detail", args=[existing.public_id]) in page(warned)
    assert 'value="Fell twice this week"' in page(warned) or "Fell twice this week" in page(warned)

    carry_on = dict(referral_form(falls, key="new"), proceed_despite_open="on")
    response = handler_client.post(url, carry_on)

    assert response.status_code == 302
    assert Referral.objects.count() == 2


def test_no_warning_for_an_open_referral_in_another_queue(handler_client, call_handler, falls, crisis):
    patient = factories.patient()
    factories.referral(need=crisis, actor=call_handler, patient_=patient)

    response = handler_client.post(reverse("referrals:referral_create", args=[patient.public_id]), referral_form(falls))

    assert response.status_code == 302
    assert Referral.objects.count() == 2


def test_a_bad_referrer_phone_is_refused_and_kept(handler_client, falls):
    patient = factories.patient()

    response = handler_client.post(
        reverse("referrals:referral_create", args=[patient.public_id]), referral_form(falls, referrer_phone="0113")
    )

    assert "Enter a valid phone number" in page(response)
    assert 'value="0113"' in page(response)


# Navigation


def test_call_handlers_get_contact_links_in_the_header(handler_client):
    labels = [item["label"] for item in handler_client.get(reverse("home"), follow=True).context["nav_items"]]

    assert labels[:2] == ["Log a contact", "Contacts"]


def test_the_contact_page_flags_a_frequent_caller(handler_client, call_handler):
    for _ in range(4):
        factories.contact(actor=call_handler, caller_phone="0113 496 0001")
    contact = factories.contact(actor=call_handler, caller_phone="0113 496 0001")

    response = handler_client.get(reverse("referrals:contact_detail", args=[contact.public_id]))

    assert "This caller has been in touch 5 times in the last 30 days" in page(response)


def test_an_administrator_changes_the_frequent_contact_rule_in_admin(client, administrator, call_handler):
    from referrals.models import FrequentContactRule

    rule = FrequentContactRule.objects.get()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:referrals_frequentcontactrule_change", args=[rule.pk]), {"min_contacts": "2", "within_days": "7"}
    )
    assert response.status_code == 302
    for _ in range(2):
        factories.contact(actor=call_handler, caller_phone="0113 496 0001")

    client.force_login(call_handler)
    assert "Frequent caller: 2 in 7 days" in page(client.get(reverse("referrals:contact_list")))


def test_the_admin_cannot_change_or_delete_contacts(client, administrator, contact):
    client.force_login(administrator)

    response = client.post(reverse("admin:referrals_contact_change", args=[contact.pk]), {"caller_name": "Changed"})

    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.caller_name != "Changed"

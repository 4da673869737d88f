"""Signposting to the directory from wherever it happens: a contact (two clicks from the contact
page, the contact corrected to name the service), a triage decision (a directory pick on the
form), and the signpostings listed on the contact and referral pages."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Signposting
from referrals.models import Contact
from tests import factories
from triage import services as triage_services
from triage.models import TriageDecision

NO_RISK = {"risk_to_self": "none", "risk_to_others": "none", "risk_from_others": "none"}


@pytest.fixture
def befriending_term(db):
    return factories.directory_term(name="Befriending and loneliness", code="befriending")


@pytest.fixture
def home_visiting(befriending_term):
    return factories.directory_service(name="Home visiting befriending", terms=[befriending_term], districts="NF2")


@pytest.fixture
def isolated_caller(call_handler):
    patient = factories.patient(given_name="Arthur", family_name="Pennington", date_of_birth=date(1934, 11, 2),
                                postcode="NF2 7DQ")
    return factories.contact(actor=call_handler, patient=patient, outcome="just_to_talk",
                             reason="Lives alone and wanted someone to talk to")


def _click_directory_link(client, contact):
    page = client.get(reverse("referrals:contact_detail", args=[contact.public_id])).content.decode()
    link = re.search(r'href="([^"]+)">Signpost to a directory service', page).group(1).replace("&amp;", "&")
    return client.get(link)


def _signpost_form(results):
    form = re.search(r'<form method="post" action="([^"]+)".*?</form>', results.content.decode(), re.S)
    return form.group(1).replace("&amp;", "&"), dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(0)))


# Contacts -----------------------------------------------------------------------------------


def test_a_just_to_talk_contact_is_signposted_to_a_directory_service_in_two_clicks(
    client, call_handler, isolated_caller, home_visiting
):
    factories.directory_service(name="Befriending in another town", terms=[home_visiting.attributes.get().taxonomy_term],
                                districts="ZZ1")
    client.force_login(call_handler)

    # Click 1: the contact page opens the directory in the caller's district, on befriending.
    results = _click_directory_link(client, isolated_caller)
    assert results.context["form"]["area"].value() == "NF2"
    assert [s.name for s in results.context["page"].object_list] == ["Home visiting befriending"]
    assert f"Signposting for the contact {isolated_caller.reference}" in results.content.decode()

    # Click 2: "Signpost to this service".
    action, fields = _signpost_form(results)
    response = client.post(action, fields, follow=True)

    signposting = Signposting.objects.get()
    current = Contact.objects.get(amends=isolated_caller)
    assert (signposting.contact, signposting.service, signposting.signposted_by) == (current, home_visiting, call_handler)
    assert (current.signposted_to, current.outcome) == ("Home visiting befriending", "just_to_talk")
    assert current.amendment_reason == "Signposted to Home visiting befriending"
    # Append-only: the contact as first logged is unchanged.
    isolated_caller.refresh_from_db()
    assert isolated_caller.signposted_to == ""
    assert response.redirect_chain[-1][0] == reverse("referrals:contact_detail", args=[current.public_id])
    page = response.content.decode()
    assert 'data-testid="signpostings"' in page and "Home visiting befriending" in page
    assert f"Signposted contact {isolated_caller.reference} from" in page


def test_the_same_click_twice_signposts_and_corrects_the_contact_once(client, call_handler, isolated_caller, home_visiting):
    client.force_login(call_handler)
    action, fields = _signpost_form(_click_directory_link(client, isolated_caller))

    client.post(action, fields)
    client.post(action, fields)

    assert Signposting.objects.count() == 1
    assert Contact.objects.filter(original_id=isolated_caller.pk).count() == 1


def test_an_unmet_need_is_recorded_for_a_contact_without_correcting_it(client, call_handler, isolated_caller):
    client.force_login(call_handler)
    url = f"{reverse('directory:signpost')}?for=contact:{isolated_caller.public_id}"

    response = client.post(url, {"unmet_need": "on", "need": "Overnight sitting", "submission_key": "u1"}, follow=True)

    signposting = Signposting.objects.get()
    assert (signposting.unmet_need, signposting.need, signposting.contact) == (True, "Overnight sitting", isolated_caller)
    assert not Contact.objects.filter(amends=isolated_caller).exists()
    assert response.redirect_chain[-1][0] == reverse("referrals:contact_detail", args=[isolated_caller.public_id])
    assert "Unmet need" in response.content.decode() and "Overnight sitting" in response.content.decode()


def test_a_corrected_contact_is_signposted_on_its_current_version(client, call_handler, isolated_caller, home_visiting):
    from referrals import services as referral_services

    corrected, _ = referral_services.contact_amend(
        contact=isolated_caller, actor=call_handler, idempotency_key="fix", amendment_reason="Duration", duration_minutes=25
    )
    client.force_login(call_handler)
    old_page = client.get(reverse("referrals:contact_detail", args=[isolated_caller.public_id])).content.decode()
    assert "Signpost to a directory service" not in old_page  # only the current version is signposted

    url = f"{reverse('directory:signpost')}?for=contact:{isolated_caller.public_id}"
    client.post(url, {"service": home_visiting.pk, "need": "Befriending", "submission_key": "s1"})

    latest = Contact.objects.get(amends=corrected)
    assert (latest.signposted_to, latest.duration_minutes) == ("Home visiting befriending", 25)
    assert Signposting.objects.get().contact == latest


def test_a_contact_without_a_patient_searches_everywhere_and_a_signposted_one_by_any_category(
    client, call_handler, befriending_term
):
    contact = factories.contact(actor=call_handler, outcome="signposted", signposted_to="Citizens Advice")
    client.force_login(call_handler)

    results = _click_directory_link(client, contact)

    assert results.context["form"]["area"].value() in (None, "")
    assert results.context["form"]["term"].value() in (None, "")


def test_a_just_to_talk_contact_logged_is_offered_the_directory_next(client, call_handler, home_visiting):
    client.force_login(call_handler)

    response = client.post(reverse("referrals:contact_log"), {
        "caller_type": "patient", "channel": "phone", "caller_name": "Arthur Pennington", "caller_organisation": "",
        "caller_phone": "", "started_at": timezone.localtime().strftime("%d %m %Y %H:%M"), "duration_minutes": "15",
        "reason": "Lonely, wanted a chat", "outcome": "just_to_talk", "signposted_to": "", "submission_key": "log-1",
    }, follow=True)

    page = response.content.decode()
    assert "now signpost them to a directory service" in page
    assert "Signpost to a directory service" in page
    assert "Signpost to a service not in the directory" in page  # the free-text fallback stays


def test_the_contact_page_costs_the_same_queries_for_one_signposting_or_several(
    client, call_handler, isolated_caller, home_visiting
):
    from directory import services as directory_services

    directory_services.signposting_record(service=None, need="Night sitting", unmet_need=True, actor=call_handler,
                                          contact=isolated_caller)
    client.force_login(call_handler)
    url = reverse("referrals:contact_detail", args=[isolated_caller.public_id])
    client.get(url)

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for need in ["Shopping", "Gardening", "Transport"]:
        directory_services.signposting_record(service=None, need=need, unmet_need=True, actor=call_handler,
                                              contact=isolated_caller)
    with CaptureQueriesContext(connection) as several:
        response = client.get(url)

    assert len(response.context["signpostings"]) == 4
    assert len(several.captured_queries) == len(one.captured_queries)


# Triage ------------------------------------------------------------------------------------


@pytest.fixture
def lonely_referral(physical_queue, call_handler, clinician):
    need = factories.need(queue=physical_queue, code="befriending", name="Loneliness")
    referral = factories.referral(need=need, actor=call_handler)
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
    return referral


def test_the_triage_form_offers_the_directory_services_for_the_referrals_need(
    client, clinician, lonely_referral, home_visiting
):
    factories.directory_service(name="Falls prevention classes")
    client.force_login(clinician)

    response = client.get(reverse("triage:item_triage", args=[lonely_referral.queue_item.public_id]))

    assert list(response.context["form"].fields["directory_service"].queryset) == [home_visiting]


def test_the_triage_form_offers_every_active_service_when_none_has_the_need(
    client, clinician, referral, directory_editor
):
    from directory import services as directory_services

    classes = factories.directory_service(name="Falls prevention classes")
    retired = factories.directory_service(name="Closed day centre")
    directory_services.service_retire(service=retired, actor=directory_editor)
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)
    client.force_login(clinician)

    response = client.get(reverse("triage:item_triage", args=[referral.queue_item.public_id]))

    assert classes in response.context["form"].fields["directory_service"].queryset
    assert retired not in response.context["form"].fields["directory_service"].queryset


def test_a_clinician_signposting_to_a_directory_service_records_a_signposting(
    client, clinician, lonely_referral, home_visiting
):
    client.force_login(clinician)

    response = client.post(reverse("triage:item_triage", args=[lonely_referral.queue_item.public_id]), {
        "priority": "routine", "outcome": "signpost", "clinical_note": "Isolated, no clinical need",
        "directory_service": str(home_visiting.pk), **NO_RISK,
    }, follow=True)

    decision = TriageDecision.objects.get()
    signposting = Signposting.objects.get()
    assert decision.signposted_to == "Home visiting befriending"
    assert (signposting.referral, signposting.service, signposting.signposted_by, signposting.need) == (
        lonely_referral, home_visiting, clinician, "Loneliness"
    )
    assert signposting.signposted_at == decision.decided_at
    # The referral page lists it.
    assert response.redirect_chain[-1][0] == reverse("referrals:referral_detail", args=[lonely_referral.public_id])
    assert 'data-testid="signpostings"' in response.content.decode()


def test_free_text_stays_for_a_service_not_in_the_directory(client, clinician, lonely_referral):
    client.force_login(clinician)

    client.post(reverse("triage:item_triage", args=[lonely_referral.queue_item.public_id]), {
        "priority": "routine", "outcome": "signpost", "clinical_note": "Church lunch club",
        "signposted_to": "St Mary's lunch club", **NO_RISK,
    })

    assert TriageDecision.objects.get().signposted_to == "St Mary's lunch club"
    assert not Signposting.objects.exists()


def test_a_directory_service_with_another_outcome_is_refused_and_the_note_kept(
    client, clinician, lonely_referral, home_visiting
):
    client.force_login(clinician)

    response = client.post(reverse("triage:item_triage", args=[lonely_referral.queue_item.public_id]), {
        "priority": "routine", "outcome": "no_further_action", "clinical_note": "My careful note",
        "directory_service": str(home_visiting.pk), **NO_RISK,
    })

    assert response.status_code == 200
    assert response.context["form"].errors["directory_service"] == ["Choose a directory service only when signposting"]
    assert "My careful note" in response.content.decode()
    assert not TriageDecision.objects.exists() and not Signposting.objects.exists()

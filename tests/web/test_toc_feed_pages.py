"""The admissions feed's pages: the inpatient list to register from, and the held messages."""

from datetime import date

from django.urls import reverse

from discharge import services
from discharge.models import FeedMessage, Inpatient
from tests import factories
from tests.discharge.test_hl7_feed import EDITH, adt


def admitted(actor, ward, visit="V0001", control_id="M1", **kwargs):
    answer = services.feed_message_receive(raw=adt("A01", control_id, ward=ward.code, visit=visit, **kwargs), actor=actor)
    assert answer.code == "AA", answer.text
    return Inpatient.objects.get(visit_number=visit)


def test_the_team_registers_a_patient_picked_from_the_feeds_list(client, toc_nurse, ward):
    stay = admitted(toc_nurse, ward)
    client.force_login(toc_nurse)

    listing = client.get(reverse("discharge:inpatients")).content.decode()
    register_link = f"{reverse('discharge:entry_register')}?inpatient={stay.public_id}"
    assert "Edith Crawley" in listing and register_link in listing

    form = client.get(register_link).context["form"]

    assert (form.initial["nhs_number"], form.initial["family_name"], form.initial["ward"], form.initial["admitted_on"]) == (
        EDITH, "Crawley", ward.pk, date(2025, 10, 1)
    )


def test_the_inpatient_list_costs_a_fixed_number_of_queries(client, toc_nurse, ward, django_assert_max_num_queries):
    admitted(toc_nurse, ward)
    client.force_login(toc_nurse)
    with django_assert_max_num_queries(8) as first:
        client.get(reverse("discharge:inpatients"))
    for n in range(2, 6):
        admitted(toc_nurse, ward, visit=f"V000{n}", control_id=f"M{n}", nhs=f"999000{n:04d}", name=f"Person^P{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("discharge:inpatients"))


def test_a_held_message_is_listed_and_rejecting_it_never_applies_it(client, toc_nurse, ward):
    factories.patient(nhs_number=EDITH, given_name="Edith", family_name="Crawley", date_of_birth=date(1938, 5, 2))
    services.feed_message_receive(raw=adt("A01", "M1", ward=ward.code, name="Crowley^Edna"), actor=toc_nurse)
    held = FeedMessage.objects.get()
    client.force_login(toc_nurse)

    page = client.get(reverse("discharge:feed_held")).content.decode()
    assert "NHS number 9990000026 is Edith Crawley (born 2 May 1938) here, but the message names Edna Crowley" in page

    response = client.post(reverse("discharge:feed_resolve", args=[held.public_id]), {"decision": "reject"}, follow=True)

    assert "it will not be applied" in response.content.decode()
    held.refresh_from_db()
    assert (held.status, held.resolved_by) == (FeedMessage.Status.REJECTED, toc_nurse)
    assert not Inpatient.objects.exists()


def test_a_held_message_accepted_twice_is_applied_once(client, toc_nurse, ward):
    factories.patient(nhs_number=EDITH, given_name="Edith", family_name="Crawley", date_of_birth=date(1938, 5, 2))
    services.feed_message_receive(raw=adt("A01", "M1", ward=ward.code, name="Crowley^Edna"), actor=toc_nurse)
    held = FeedMessage.objects.get()
    client.force_login(toc_nurse)

    client.post(reverse("discharge:feed_resolve", args=[held.public_id]), {"decision": "accept"})
    again = client.post(reverse("discharge:feed_resolve", args=[held.public_id]), {"decision": "accept"}, follow=True)

    assert "already been resolved" in again.content.decode()
    assert Inpatient.objects.count() == 1


def test_a_manager_may_see_the_inpatients_but_not_resolve_held_messages(client, manager, toc_nurse, ward):
    client.force_login(manager)

    assert client.get(reverse("discharge:inpatients")).status_code == 200
    assert client.get(reverse("discharge:feed_held")).status_code == 403

"""The directory's pages: results that say what a caller needs to know, signposting in two
clicks, editors' forms, and a fixed number of queries for the results page."""

import re
import uuid

import pytest
from django.urls import reverse

from ccc.models import User
from directory.models import Service, Signposting
from tests import factories


@pytest.fixture
def befriending(db):
    term = factories.directory_term(name="Befriending", code="just-to-talk")
    return factories.directory_service(
        name="Telephone befriending", terms=[term], districts="LS1 NF1", minimum_age=60,
        description="A volunteer phones every week for a chat", eligibility="Older people who are lonely",
        referral_method="Phone the coordinator", self_referral=True, phone="01632 960001",
    )


def test_results_say_what_the_service_does_who_it_is_for_how_to_refer_and_when_it_is_open(client, call_handler, befriending):
    client.force_login(call_handler)

    response = client.get(reverse("directory:search"), {"text": "befriending", "area": "LS1 4AP", "age": "80"})

    page = response.content.decode()
    assert response.context["page"].paginator.count == 1
    for text in ["Telephone befriending", "A volunteer phones every week for a chat", "Older people who are lonely",
                 "Aged 60 and over", "Takes self-referrals", "Phone the coordinator", "01632 960001",
                 "Monday to Friday 09:00 to 17:00"]:
        assert text in page, text


def test_a_bad_search_is_explained_and_keeps_what_was_typed(client, call_handler, befriending):
    client.force_login(call_handler)

    response = client.get(reverse("directory:search"), {"text": "befriending", "age": "two hundred"})

    assert response.context["form"].errors["age"] == ["Enter a whole number."]
    assert 'value="befriending"' in response.content.decode()
    assert response.context["page"] is None


def test_the_results_page_is_a_fixed_number_of_queries(client, call_handler, befriending, django_assert_num_queries):
    client.force_login(call_handler)
    url = reverse("directory:search")
    client.get(url, {"area": "NF1"})

    # session, user, category choices, count, the page of services (organisation joined), and one
    # query each for their categories, schedules, areas, contacts and locations; the header's unread
    # notifications
    with django_assert_num_queries(11):
        client.get(url, {"area": "NF1"})
    for _ in range(6):
        factories.directory_service(districts="NF1", terms=[befriending.attributes.get().taxonomy_term])
    with django_assert_num_queries(11):
        response = client.get(url, {"area": "NF1"})
    assert len(response.context["page"].object_list) == 7


def test_two_clicks_from_a_referral_record_a_signposting(client, call_handler, befriending, physical_queue):
    need = factories.need(queue=physical_queue, code="just-to-talk", name="Just to talk (loneliness)")
    referral = factories.referral(need=need, actor=call_handler)  # patient in LS1 4AP
    client.force_login(call_handler)
    referral_page = client.get(reverse("referrals:referral_detail", args=[referral.public_id])).content.decode()

    # Click 1: the referral's link opens the directory narrowed to the patient's district and need.
    link = re.search(r'href="([^"]+)">Signpost to a directory service', referral_page).group(1).replace("&amp;", "&")
    results = client.get(link)
    assert [s.name for s in results.context["page"].object_list] == ["Telephone befriending"]
    assert "Signposting for the referral" in results.content.decode()
    form = re.search(r'<form method="post" action="([^"]+)".*?</form>', results.content.decode(), re.S)
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(0)))

    # Click 2: "Signpost to this service".
    response = client.post(form.group(1).replace("&amp;", "&"), fields, follow=True)

    assert response.redirect_chain[-1][0] == reverse("referrals:referral_detail", args=[referral.public_id])
    signposting = Signposting.objects.get()
    assert (signposting.referral, signposting.service, signposting.need, signposting.signposted_by) == (
        referral, befriending, "Befriending", call_handler
    )
    assert f"Signposted referral {referral.reference}" in response.content.decode()
    # The same click again records nothing new.
    client.post(form.group(1).replace("&amp;", "&"), fields)
    assert Signposting.objects.count() == 1


def test_an_unmet_need_is_recorded_when_nothing_fits(client, call_handler, referral):
    client.force_login(call_handler)
    url = f"{reverse('directory:signpost')}?for=referral:{referral.public_id}"

    client.post(url, {"unmet_need": "on", "need": "Overnight sitting", "submission_key": "u1"})

    signposting = Signposting.objects.get()
    assert signposting.unmet_need and signposting.need == "Overnight sitting" and signposting.referral == referral


def test_a_made_up_target_is_not_found(client, call_handler, befriending):
    client.force_login(call_handler)

    for value in ["referral:not-a-uuid", f"contact:{uuid.uuid4()}", f"referral:{uuid.uuid4()}"]:
        assert client.get(reverse("directory:search"), {"for": value}).status_code == 404


def service_form(organization, **overrides) -> dict:
    data = {
        "organization": organization.pk, "name": "Falls prevention classes", "description": "Strength and balance",
        "eligibility": "Adults who have fallen", "minimum_age": "50", "maximum_age": "", "referral_method": "GP referral",
        "status": "active", "assured_date": "2026-10-01", "area_name": "Northfield", "postcode_districts": "nf1 nf2",
        "days": ["MO", "WE"], "opens_at": "09:30", "closes_at": "12:00", "phone": "01632 960010",
        "new_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_a_directory_editor_adds_changes_and_retires_a_service_in_the_browser(client, directory_editor):
    organization = factories.directory_organization(name="Northfield Trust")
    client.force_login(directory_editor)
    data = service_form(organization)

    response = client.post(reverse("directory:service_create"), data)
    client.post(reverse("directory:service_create"), data)  # a double submit

    service = Service.objects.get()
    assert response.url == reverse("directory:service_detail", args=[service.pk])
    assert service.service_areas.get().extent == "NF1 NF2"
    assert service.schedules.get().display == "Monday, Wednesday 09:30 to 12:00"

    edit = client.get(reverse("directory:service_update", args=[service.pk]))
    seen = edit.context["form"].initial["seen_last_modified"]
    response = client.post(
        reverse("directory:service_update", args=[service.pk]),
        service_form(organization, name="Falls prevention", new_id=None, seen_last_modified=seen.isoformat()),
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.name == "Falls prevention"

    client.post(reverse("directory:service_retire", args=[service.pk]))
    page = client.get(reverse("directory:service_detail", args=[service.pk])).content.decode()
    assert "This service has been retired" in page
    assert page.count(f"by {directory_editor}") == 3  # added, changed, retired


def test_a_bad_service_form_keeps_what_was_typed(client, directory_editor):
    organization = factories.directory_organization()
    client.force_login(directory_editor)

    response = client.post(
        reverse("directory:service_create"), service_form(organization, minimum_age="70", maximum_age="20", closes_at="")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "closes_at" in errors and "maximum_age" in errors
    assert 'value="Falls prevention classes"' in response.content.decode()
    assert not Service.objects.exists()


def test_a_save_over_someone_elses_change_is_refused(client, directory_editor):
    from directory import services

    organization = factories.directory_organization()
    service = factories.directory_service(organization=organization, name="Original")
    client.force_login(directory_editor)
    seen = client.get(reverse("directory:service_update", args=[service.pk])).context["form"].initial["seen_last_modified"]
    services.service_update(service=service, actor=factories.user(User.Role.DIRECTORY_EDITOR), name="Theirs",
                            organization=organization)

    response = client.post(
        reverse("directory:service_update", args=[service.pk]),
        service_form(organization, name="Mine", new_id=None, seen_last_modified=seen.isoformat()),
    )

    assert "changed by someone else" in response.content.decode()
    service.refresh_from_db()
    assert service.name == "Theirs"


def test_editors_add_organisations_and_locations(client, directory_editor):
    client.force_login(directory_editor)

    client.post(reverse("directory:organization_create"), {"name": "Carers Centre", "description": "Charity",
                                                           "new_id": str(uuid.uuid4())})
    client.post(reverse("directory:location_create"), {"name": "Riverside", "location_type": "physical",
                                                       "postal_code": "NF2 3BB", "new_id": str(uuid.uuid4())})

    page = client.get(reverse("directory:organization_list")).content.decode()
    assert "Carers Centre" in page and "Riverside" in page


def test_administrators_keep_the_categories_and_see_signpostings_in_the_admin(client, administrator, befriending):
    client.force_login(administrator)

    terms = client.get(reverse("admin:directory_taxonomyterm_changelist"))
    signpostings = client.get(reverse("admin:directory_signposting_changelist"))

    assert terms.status_code == 200 and "Befriending" in terms.content.decode()
    assert signpostings.status_code == 200
    assert client.get(reverse("admin:directory_signposting_add")).status_code == 403

"""Every directory page refuses anonymous people and the roles it is not for."""

import pytest
from django.urls import reverse

from ccc.models import User
from tests import factories

PEOPLE = ["call_handler", "clinician", "mental_clinician", "toc_member", "manager", "administrator",
          "directory_editor", "team_lead", "referrer"]
READERS = {"call_handler", "clinician", "mental_clinician", "toc_member", "manager", "administrator",
           "directory_editor", "team_lead"}
EDITORS = {"directory_editor"}


@pytest.fixture
def team_lead(db):
    return factories.user(User.Role.TEAM_LEAD)


@pytest.fixture
def referrer(db):
    return factories.user(User.Role.REFERRER)


@pytest.fixture
def world(referral):
    service = factories.directory_service(name="Befriending")
    return {"service": service, "referral": referral, "location": factories_location()}


def factories_location():
    from directory import services

    return services.location_create(actor=None, name="Hub")


def pages(world):
    service, referral, location = world["service"], world["referral"], world["location"]
    signpost = f"{reverse('directory:signpost')}?for=referral:{referral.public_id}"
    return {
        "search": ("get", reverse("directory:search"), {}),
        "search_for_referral": ("get", f"{reverse('directory:search')}?for=referral:{referral.public_id}", {}),
        "signpost": ("post", signpost, {"service": service.pk, "need": "Company", "submission_key": "k1"}),
        "service_detail": ("get", reverse("directory:service_detail", args=[service.pk]), {}),
        "review_list": ("get", reverse("directory:review_list"), {}),
        "service_create": ("get", reverse("directory:service_create"), {}),
        "service_update": ("get", reverse("directory:service_update", args=[service.pk]), {}),
        "service_retire": ("post", reverse("directory:service_retire", args=[service.pk]), {}),
        "organization_list": ("get", reverse("directory:organization_list"), {}),
        "organization_create": ("get", reverse("directory:organization_create"), {}),
        "organization_update": ("get", reverse("directory:organization_update", args=[service.organization.pk]), {}),
        "organization_retire": ("post", reverse("directory:organization_retire", args=[service.organization.pk]), {}),
        "location_create": ("get", reverse("directory:location_create"), {}),
        "location_update": ("get", reverse("directory:location_update", args=[location.pk]), {}),
        "location_retire": ("post", reverse("directory:location_retire", args=[location.pk]), {}),
    }


# Who may open each page (roles by fixture name); everyone else is refused. Signposting against
# a referral needs the referral too: a clinician of another queue cannot see this one.
ALLOWED = {
    "search": READERS,
    "search_for_referral": {"call_handler", "clinician"},
    "signpost": {"call_handler", "clinician"},
    "service_detail": READERS,
    "review_list": READERS,
    "service_create": EDITORS,
    "service_update": EDITORS,
    "service_retire": EDITORS,
    "organization_list": EDITORS,
    "organization_create": EDITORS,
    "organization_update": EDITORS,
    "organization_retire": EDITORS,
    "location_create": EDITORS,
    "location_update": EDITORS,
    "location_retire": EDITORS,
}


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_anonymous_people_are_sent_to_log_in(client, world, page):
    method, url, data = pages(world)[page]

    response = getattr(client, method)(url, data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_each_directory_page_answers_only_the_roles_it_is_for(client, request, world, page, person):
    client.force_login(request.getfixturevalue(person))
    method, url, data = pages(world)[page]

    response = getattr(client, method)(url, data)

    if person in ALLOWED[page]:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login"))
    else:
        assert response.status_code in (403, 404), response.status_code


def test_the_header_offers_the_directory_to_the_roles_that_use_it(client, request):
    for person in PEOPLE:
        client.force_login(request.getfixturevalue(person))
        labels = [item["label"] for item in client.get(reverse("home")).context["nav_items"]]
        assert ("Directory" in labels) == (person in READERS), person

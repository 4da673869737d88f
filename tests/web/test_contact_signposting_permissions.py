"""Signposting a contact to a directory service (``?for=contact:<id>`` on the directory's search
and signpost pages) answers only the people who log contacts and signpost: call handlers."""

import pytest
from django.urls import reverse

from directory.models import Signposting
from tests import factories

PEOPLE = ["call_handler", "clinician", "toc_member", "manager", "administrator", "directory_editor", "team_lead",
          "referrer"]
ALLOWED = {"search_for_contact": {"call_handler"}, "signpost_contact": {"call_handler"},
           "unmet_need_for_contact": {"call_handler"}}


@pytest.fixture
def world(call_handler):
    contact = factories.contact(recorded_by=call_handler, outcome="just_to_talk")
    return {"contact": contact, "service": factories.directory_service(name="Telephone befriending")}


def pages(world):
    target = f"contact:{world['contact'].public_id}"
    signpost = f"{reverse('directory:signpost')}?for={target}"
    return {
        "search_for_contact": ("get", f"{reverse('directory:search')}?for={target}", {}),
        "signpost_contact": ("post", signpost, {"service": world["service"].pk, "need": "Company", "submission_key": "k1"}),
        "unmet_need_for_contact": ("post", signpost, {"unmet_need": "on", "need": "Night sitting", "submission_key": "k2"}),
    }


@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_anonymous_people_are_sent_to_log_in(client, world, page):
    method, url, data = pages(world)[page]

    response = getattr(client, method)(url, data)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Signposting.objects.exists()


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize("page", sorted(ALLOWED))
def test_only_call_handlers_signpost_a_contact_from_the_directory(client, request, world, page, person):
    client.force_login(request.getfixturevalue(person))
    method, url, data = pages(world)[page]

    response = getattr(client, method)(url, data)

    if person in ALLOWED[page]:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert not response.url.startswith(reverse("login"))
    else:
        assert response.status_code in (403, 404), response.status_code
        assert not Signposting.objects.exists()

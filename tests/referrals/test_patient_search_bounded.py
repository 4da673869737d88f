"""A patient search shows at most 50 people and, when more matched, says so and how to narrow it:
the find page and the IG page in words, the API in its X-Showing-First header."""

import uuid
from datetime import date

import pytest
from django.urls import reverse

from referrals.models import Patient
from referrals.selectors import patient_find
from referrals.selectors.patients import PATIENT_SEARCH_LIMIT

pytestmark = pytest.mark.django_db
NOTICE = f"Showing the first {PATIENT_SEARCH_LIMIT} matches: add a date of birth or postcode to narrow it"


def smiths(count: int) -> None:
    """``count`` people called Smith, born on different days, all in one postcode."""
    Patient.objects.bulk_create([
        Patient(public_id=uuid.uuid4(), given_name="Jo", family_name="Smith", date_of_birth=date(1940, 1, 1 + n % 28),
                postcode="LS1 4AP")
        for n in range(count)
    ])


@pytest.mark.parametrize("count, more", [(PATIENT_SEARCH_LIMIT, False), (PATIENT_SEARCH_LIMIT + 1, True)])
def test_the_search_knows_whether_it_left_anyone_out(count, more, django_assert_num_queries):
    smiths(count)

    with django_assert_num_queries(1):
        found = patient_find(name="Smith")

    assert (len(found), found.more) == (PATIENT_SEARCH_LIMIT, more)
    assert patient_find(postcode="LS1 4AP").more is more


def test_the_find_page_says_it_stopped_at_50_and_how_to_narrow_it(client, call_handler):
    smiths(PATIENT_SEARCH_LIMIT + 1)
    client.force_login(call_handler)

    response = client.get(reverse("referrals:patient_find"), {"name": "Smith"})

    assert NOTICE in response.text
    assert response.text.count("Refer Jo Smith") == PATIENT_SEARCH_LIMIT
    narrowed = client.get(reverse("referrals:patient_find"), {"name": "Smith", "date_of_birth": "2 1 1940"})
    assert "Showing the first" not in narrowed.text and "Refer Jo Smith" in narrowed.text


def test_a_whole_answer_says_nothing_of_a_limit(client, call_handler):
    smiths(PATIENT_SEARCH_LIMIT)
    client.force_login(call_handler)

    assert "Showing the first" not in client.get(reverse("referrals:patient_find"), {"name": "Smith"}).text


def test_the_api_says_it_stopped_in_a_header_and_only_then(login, call_handler):
    smiths(PATIENT_SEARCH_LIMIT + 1)
    api = login(call_handler)

    cut = api.get("/api/v1/patients/", {"name": "Smith"})
    whole = api.get("/api/v1/patients/", {"name": "Smith", "date_of_birth": "1940-01-02"})

    assert cut.status_code == 200 and len(cut.json()) == PATIENT_SEARCH_LIMIT
    assert cut["X-Showing-First"] == str(PATIENT_SEARCH_LIMIT)
    assert whole.status_code == 200 and "X-Showing-First" not in whole


def test_the_schema_names_the_header(login, call_handler):
    schema = login(call_handler).get("/api/schema/", HTTP_ACCEPT="application/json").json()

    headers = schema["paths"]["/api/v1/patients/"]["get"]["responses"]["200"]["headers"]
    assert "X-Showing-First" in headers


def test_the_ig_page_says_it_stopped_too(client, manager):
    smiths(PATIENT_SEARCH_LIMIT + 1)
    client.force_login(manager)

    response = client.get(reverse("access_log"), {"name": "Smith"})

    assert len(response.context["matches"]) == PATIENT_SEARCH_LIMIT
    assert f"Showing the first {PATIENT_SEARCH_LIMIT} matches: add a date of birth to narrow it" in response.text

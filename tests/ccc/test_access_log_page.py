"""The information governance page: who looked at a patient's records, and what one person looked
at, newest first, page by page and as CSV; for managers and administrators only."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ccc.models import AccessLog, User
from tests import factories

pytestmark = pytest.mark.django_db


def _look(actor, patient, *, minutes_ago: int = 0, channel: str = "page") -> AccessLog:
    """A look at the patient's page ``minutes_ago`` (written as the log writes it, with its time given)."""
    return AccessLog(actor=actor, kind="patient", record_id=str(patient.public_id), patient_id=patient.pk,
                     channel=channel, path=f"/patients/{patient.public_id}/",
                     at=timezone.now() - timedelta(minutes=minutes_ago))


@pytest.fixture
def referral(falls, call_handler):
    """A referral for a patient with an NHS number (the IG page finds patients by it)."""
    patient = factories.patient(nhs_number=factories.TEST_NHS_NUMBERS[2])
    return factories.referral(need=falls, actor=call_handler, patient_=patient)


@pytest.fixture
def looks(referral, call_handler, clinician):
    """The referral's patient looked at by a clinician by API an hour ago, then by a call handler now."""
    patient = referral.patient
    AccessLog.objects.bulk_create([_look(clinician, patient, minutes_ago=60, channel="api"), _look(call_handler, patient)])
    return patient


def test_an_ig_lead_sees_who_looked_at_a_patient_newest_first(client, manager, looks, clinician, call_handler):
    patient = looks
    client.force_login(manager)

    response = client.get(reverse("access_log"), {"nhs_number": patient.nhs_number})

    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [(row.actor, row.channel) for row in rows[:2]] == [(call_handler, "page"), (clinician, "api")]
    assert all(row.patient_id == patient.pk for row in rows)
    assert call_handler.username in response.content.decode()


def test_an_ig_lead_sees_what_one_person_looked_at(client, administrator, looks, call_handler):
    patient = looks
    client.force_login(administrator)

    response = client.get(reverse("access_log"), {"username": call_handler.username})

    rows = list(response.context["page"].object_list)
    assert {row.actor for row in rows} == {call_handler}
    assert patient.nhs_number in response.content.decode()


def test_the_log_downloads_as_csv_and_the_download_is_logged_too(client, manager, looks, call_handler, clinician):
    patient = looks
    client.force_login(manager)

    response = client.get(reverse("access_log_csv"), {"nhs_number": patient.nhs_number})

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="access-log-nhs-{patient.nhs_number}.csv"'
    header, *lines = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert header[:3] == ["When (UTC)", "Who", "Username"]
    assert [line[2] for line in lines] == [call_handler.username, clinician.username]
    assert {line[5] for line in lines} == {patient.nhs_number}
    export = AccessLog.objects.get(actor=manager)
    assert (export.kind, export.rows) == ("export", 2)


def test_the_page_is_paginated(client, manager, referral, call_handler):
    AccessLog.objects.bulk_create([
        _look(call_handler, referral.patient, minutes_ago=minutes) for minutes in range(60)
    ])
    client.force_login(manager)

    first = client.get(reverse("access_log"), {"nhs_number": referral.patient.nhs_number})
    second = client.get(reverse("access_log"), {"nhs_number": referral.patient.nhs_number, "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 10
    assert first.context["page"].object_list[0].at > second.context["page"].object_list[0].at


@pytest.mark.parametrize("query, field, message", [
    ({"nhs_number": "123"}, "nhs_number", "10 digits"),
    ({"nhs_number": "9990000026"}, "nhs_number", "No patient has this NHS number"),
    ({"username": "nobody-here"}, "username", "No member of staff has this username"),
])
def test_a_question_it_cannot_answer_says_why(client, manager, referral, query, field, message):
    client.force_login(manager)

    response = client.get(reverse("access_log"), query)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert response.context["page"] is None


def test_asking_about_both_or_neither_is_refused_with_a_reason(client, manager, referral, call_handler):
    client.force_login(manager)

    response = client.get(reverse("access_log"), {"nhs_number": "", "username": ""})
    assert "one of them" in str(response.context["form"].non_field_errors())
    assert client.get(reverse("access_log_csv"), {"username": ""}).status_code == 400


@pytest.mark.parametrize("role", [User.Role.CALL_HANDLER, User.Role.DUTY_CLINICIAN, User.Role.TEAM_LEAD,
                                  User.Role.TOC, User.Role.DIRECTORY_EDITOR, User.Role.REFERRER])
def test_other_roles_are_refused_the_log_and_its_csv(client, looks, role):
    patient = looks
    client.force_login(factories.user(role))

    assert client.get(reverse("access_log"), {"nhs_number": patient.nhs_number}).status_code == 403
    assert client.get(reverse("access_log_csv"), {"nhs_number": patient.nhs_number}).status_code == 403


def test_the_page_costs_the_same_queries_however_many_rows(client, manager, referral, call_handler,
                                                           django_assert_num_queries):
    client.force_login(manager)
    url, query = reverse("access_log"), {"username": call_handler.username}

    def page_with(rows: int) -> None:
        AccessLog.objects.bulk_create([
            _look(call_handler, referral.patient, minutes_ago=minutes) for minutes in range(rows)
        ])
        # session, user, unread notifications, the person asked about, count, the page, its patients
        with django_assert_num_queries(7):
            client.get(url, query)

    page_with(3)
    page_with(40)


def test_the_csv_streams_in_the_same_queries_however_long_the_log(client, manager, looks, call_handler):
    patient = looks
    client.force_login(manager)
    url = reverse("access_log_csv")

    def download() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, {"nhs_number": patient.nhs_number})
            assert response.streaming
            lines = b"".join(response.streaming_content).decode().splitlines()
        return len(captured.captured_queries), len(lines) - 1

    few = download()
    AccessLog.objects.bulk_create([_look(call_handler, patient, minutes_ago=minutes) for minutes in range(1, 41)])
    more = download()

    assert (few[1], more[1]) == (2, 42)
    assert more[0] == few[0]


@pytest.fixture
def twins(call_handler, clinician):
    """Two people of one name and birthday, neither with an NHS number; the first looked at by the call handler."""
    born = date(1961, 7, 4)
    first, second = (factories.patient(given_name=name, family_name="Haworth", date_of_birth=born, nhs_number="")
                     for name in ("Ada", "Ruth"))
    AccessLog.objects.bulk_create([_look(call_handler, first), _look(clinician, second)])
    return first, second


def test_an_ig_lead_finds_a_patient_without_an_nhs_number_by_name_and_date_of_birth(client, manager, twins,
                                                                                       call_handler):
    first, _ = twins
    client.force_login(manager)

    response = client.get(reverse("access_log"), {"name": "ada haworth", "date_of_birth": "4 7 1961"})

    assert response.context["subject"] == first
    assert [row.actor for row in response.context["page"].object_list] == [call_handler]
    assert "born 4 Jul 1961, no NHS number" in response.text


def test_several_people_matching_are_listed_to_choose_from_and_each_opens_their_own_log(client, manager, twins,
                                                                                        clinician):
    _, second = twins
    client.force_login(manager)

    response = client.get(reverse("access_log"), {"name": "Haworth", "date_of_birth": "04/07/1961"})

    assert response.context["page"] is None
    assert response.context["matches"] == list(twins)
    link = f'{reverse("access_log")}?patient={second.public_id}'
    assert link in response.text
    chosen = client.get(link)
    assert chosen.context["subject"] == second
    assert str(second.public_id) not in chosen.context["form"].as_div()  # the next search starts afresh
    assert [row.actor for row in chosen.context["page"].object_list] == [clinician]
    # The download needs one patient: of several it says to choose.
    assert client.get(reverse("access_log_csv"), {"name": "Haworth"}).status_code == 400


def test_the_csv_of_a_patient_without_an_nhs_number_is_named_by_their_id(client, manager, twins):
    first, _ = twins
    client.force_login(manager)

    response = client.get(reverse("access_log_csv"), {"patient": str(first.public_id)})

    assert response["Content-Disposition"] == f'attachment; filename="access-log-patient-{first.public_id}.csv"'
    assert len(b"".join(response.streaming_content).decode().splitlines()) == 2


@pytest.mark.parametrize("query, message", [
    ({"name": "Nobody", "date_of_birth": "4 7 1961"}, "No patient matches the name and date of birth given"),
    ({"patient": "6d3b8b7e-0000-4000-8000-000000000000"}, "No such patient"),
    ({"name": "Haworth", "username": "someone"}, "one of them"),
])
def test_a_patient_it_cannot_find_by_name_says_why(client, manager, twins, query, message):
    client.force_login(manager)

    response = client.get(reverse("access_log"), query)

    assert message in str(response.context["form"].non_field_errors())
    assert response.context["page"] is None and not response.context["matches"]


def test_finding_by_name_costs_the_same_queries_as_by_nhs_number(client, manager, twins, django_assert_num_queries):
    client.force_login(manager)

    # session, user, unread notifications, the search, count, the page, its patients
    with django_assert_num_queries(7):
        client.get(reverse("access_log"), {"name": "Ada Haworth", "date_of_birth": "4 7 1961"})
    with django_assert_num_queries(4):  # several match: the search is the one query their list costs
        client.get(reverse("access_log"), {"name": "Haworth"})

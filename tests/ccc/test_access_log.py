"""The access log: every look at a person's record, and every export, leaves one row that nobody can
change or remove; an information governance lead reads it by patient or by person."""

import csv
import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from ccc.access_log import access_log_record
from ccc.models import AccessLog, AppendOnly
from tests import factories

pytestmark = pytest.mark.django_db

PAGE, API = AccessLog.Channel.PAGE, AccessLog.Channel.API


@pytest.fixture
def episode(referral, irr_clinician):
    return factories.episode(decision=factories.triaged(referral_=referral, clinician=irr_clinician), lead=irr_clinician)


def _only_row() -> AccessLog:
    rows = list(AccessLog.objects.all())
    assert len(rows) == 1, rows
    return rows[0]


def _opened(client, login, person, url: str, channel: str):
    if channel == PAGE:
        client.force_login(person)
        return client.get(url)
    return login(person).get(url)


@pytest.mark.parametrize("channel", [PAGE, API])
def test_opening_a_patient_logs_who_which_patient_and_the_door(client, login, referral, call_handler, channel):
    patient = referral.patient
    url = (
        reverse("referrals:patient_detail", args=[patient.public_id])
        if channel == PAGE
        else reverse("api-patient-detail", args=[patient.public_id])
    )

    assert _opened(client, login, call_handler, url, channel).status_code == 200

    row = _only_row()
    assert (row.actor, row.kind, row.record_id, row.patient_id, row.channel, row.path) == (
        call_handler, "patient", str(patient.public_id), patient.pk, channel, url
    )


@pytest.mark.parametrize("channel", [PAGE, API])
def test_opening_a_referral_logs_it_against_its_patient(client, login, referral, clinician, channel):
    url = (
        reverse("referrals:referral_detail", args=[referral.public_id])
        if channel == PAGE
        else reverse("api-referral-detail", args=[referral.public_id])
    )

    assert _opened(client, login, clinician, url, channel).status_code == 200

    row = _only_row()
    assert (row.actor, row.kind, row.record_id, row.patient_id, row.channel) == (
        clinician, "referral", str(referral.public_id), referral.patient_id, channel
    )


@pytest.mark.parametrize("channel", [PAGE, API])
def test_opening_an_irr_episode_logs_it_against_its_patient(client, login, episode, irr_clinician, channel):
    url = (
        reverse("irr:episode_detail", args=[episode.public_id])
        if channel == PAGE
        else reverse("api-irr-episode-detail", args=[episode.public_id])
    )

    assert _opened(client, login, irr_clinician, url, channel).status_code == 200

    row = _only_row()
    assert (row.actor, row.kind, row.record_id, row.patient_id, row.channel) == (
        irr_clinician, "episode", str(episode.public_id), episode.patient_id, channel
    )


@pytest.mark.parametrize("channel", [PAGE, API])
def test_opening_a_register_entry_logs_it_against_its_patient(client, login, entry, toc_nurse, channel):
    url = (
        reverse("discharge:entry_detail", args=[entry.public_id])
        if channel == PAGE
        else reverse("api-toc-register-detail", args=[entry.public_id])
    )

    assert _opened(client, login, toc_nurse, url, channel).status_code == 200

    row = _only_row()
    assert (row.actor, row.kind, row.record_id, row.patient_id, row.channel) == (
        toc_nurse, "register_entry", str(entry.public_id), entry.patient_id, channel
    )


def test_a_look_refused_is_not_logged_as_a_look(client, referral, mental_clinician):
    client.force_login(mental_clinician)

    assert client.get(reverse("referrals:referral_detail", args=[referral.public_id])).status_code == 404
    assert client.get(reverse("referrals:patient_detail", args=[referral.patient.public_id])).status_code == 403
    assert not AccessLog.objects.exists()


def test_lists_do_not_log_each_row(client, referral, clinician):
    client.force_login(clinician)

    assert client.get(reverse("referrals:referral_list")).status_code == 200
    assert not AccessLog.objects.exists()


# --- Exports: what, and how many rows ---------------------------------------------------------


def _week() -> dict:
    return {"period": "week", "date": timezone.localdate().isoformat()}


def test_the_joint_data_set_csv_logs_the_rows_that_left(client, referral, call_handler, falls, manager):
    factories.referral(need=falls, actor=call_handler)
    client.force_login(manager)

    response = client.get(reverse("reporting:joint_data_set_csv"), _week())
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    row = _only_row()
    assert (row.actor, row.kind, row.channel, row.rows, row.patient_id) == (manager, "export", PAGE, 2, None)
    assert len(lines) - 1 == row.rows
    assert "joint data set" in row.record_id


def test_the_joint_data_set_api_logs_the_page_it_sent(login, referral, manager):
    response = login(manager).get(reverse("api-joint-data-set-list"), _week())

    assert response.status_code == 200
    row = _only_row()
    assert (row.kind, row.channel, row.rows) == ("export", API, len(response.data["results"]))


def test_a_fhir_search_logs_an_export_and_a_fhir_read_logs_the_referral(login, referral, manager):
    client = login(manager)
    assert client.get(reverse("api-fhir-servicerequest-list")).status_code == 200
    assert client.get(reverse("api-fhir-servicerequest-detail", args=[referral.public_id])).status_code == 200

    search, read = AccessLog.objects.order_by("pk")
    assert (search.kind, search.rows, search.channel) == ("export", 1, API)
    assert (read.kind, read.record_id, read.patient_id) == ("referral", str(referral.public_id), referral.patient_id)


def test_a_dashboard_figure_csv_logs_its_rows(client, referral, manager):
    client.force_login(manager)

    response = client.get(reverse("reporting:figure_csv", args=["referrals-by-queue"]), _week())

    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.getvalue().decode())))
    row = _only_row()
    assert (row.kind, row.rows) == ("export", len(lines) - 1)


def test_one_look_costs_one_insert_and_no_read(referral, call_handler, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        access_log_record(actor=call_handler, kind="patient", record_id=referral.patient.public_id,
                          patient_id=referral.patient.pk, channel=PAGE, path="/patients/x/")
    assert captured.captured_queries[0]["sql"].startswith("INSERT")


# --- Append-only ----------------------------------------------------------------------------------


@pytest.fixture
def logged(referral, call_handler) -> AccessLog:
    return access_log_record(actor=call_handler, kind="patient", record_id=referral.patient.public_id,
                             patient_id=referral.patient.pk, channel=PAGE, path="/patients/x/")


def test_a_log_row_cannot_be_changed_or_deleted_through_the_model(logged):
    logged.path = "/elsewhere/"
    with pytest.raises(AppendOnly):
        logged.save()
    with pytest.raises(AppendOnly):
        logged.delete()
    with pytest.raises(AppendOnly):
        AccessLog.objects.filter(pk=logged.pk).update(path="/elsewhere/")
    with pytest.raises(AppendOnly):
        AccessLog.objects.filter(pk=logged.pk).delete()
    logged.refresh_from_db()
    assert logged.path == "/patients/x/"


@pytest.mark.parametrize("sql", ["UPDATE ccc_accesslog SET path = '/elsewhere/'", "DELETE FROM ccc_accesslog"])
def test_the_database_refuses_to_change_or_delete_a_log_row(logged, sql):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert AccessLog.objects.get(pk=logged.pk).path == "/patients/x/"


def test_the_admin_shows_the_log_read_only(client, administrator, logged):
    client.force_login(administrator)
    change = reverse("admin:ccc_accesslog_change", args=[logged.pk])

    assert client.get(reverse("admin:ccc_accesslog_changelist")).status_code == 200
    client.post(change, {"path": "/elsewhere/"})
    assert client.get(reverse("admin:ccc_accesslog_delete", args=[logged.pk])).status_code == 403
    assert AccessLog.objects.get(pk=logged.pk).path == "/patients/x/"

"""Paper for when the system is down: print views of a queue, the board and today's visits, and the
downtime export a manager takes every hour. Each is logged in the access log (patients' records)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ccc.models import AccessLog, User
from reporting import downtime
from tests import factories


@pytest.fixture
def visit_today(referral, irr_clinician, irr_team):
    factories.patient_phone(patient_=referral.patient, actor=irr_clinician, number="0113 496 0777", call_first=True)
    decision = factories.triaged(referral_=referral, clinician=irr_clinician)
    episode = factories.episode(decision=decision, lead=irr_clinician, team=irr_team)
    return factories.visit(episode_=episode, actor=irr_clinician, staff=[episode.members.first()])


def test_a_queues_paper_copy_lists_its_open_items_with_who_printed_it_and_when(
    client, clinician, falls, call_handler, physical_queue
):
    referrals = [factories.referral(need=falls, actor=call_handler) for _ in range(3)]
    client.force_login(clinician)

    response = client.get(reverse("downtime:queue_print", args=[physical_queue.code]))

    html = response.content.decode()
    assert response.status_code == 200
    assert all(referral.reference in html for referral in referrals)
    assert str(clinician) in html and 'data-testid="printed-at"' in html
    assert 'class="nhsuk-header' not in html  # no site navigation on paper
    assert AccessLog.objects.get(actor=clinician).rows == 3


def test_another_queues_clinician_gets_no_paper_copy(client, mental_clinician, physical_queue):
    client.force_login(mental_clinician)

    assert client.get(reverse("downtime:queue_print", args=[physical_queue.code])).status_code == 404


def test_todays_visits_on_paper_carry_the_address_and_phone_for_the_visiting_team(client, irr_clinician, visit_today):
    client.force_login(irr_clinician)

    html = client.get(reverse("downtime:visits_print")).content.decode()

    patient = visit_today.episode.patient
    assert patient.full_name in html and "IRR physical health" in html
    assert "0113 496 0777" in html


def test_the_board_on_paper(client, toc_nurse, entry):
    client.force_login(toc_nurse)

    html = client.get(reverse("downtime:board_print")).content.decode()

    assert entry.patient.full_name in html and entry.ward.name in html


def test_the_downtime_export_is_one_logged_download_of_every_list(
    client, manager, referral, visit_today, entry, call_handler, django_assert_max_num_queries
):
    factories.call_back(actor=call_handler, team_=factories.team(), caller_name="Ted Waiting")
    client.force_login(manager)
    url = reverse("downtime:export")
    client.get(url)

    with django_assert_max_num_queries(16):  # a query a list (a queue each), however many rows
        response = client.get(url)

    html = response.content.decode()
    assert response["Content-Disposition"].startswith('attachment; filename="ccc-downtime-')
    assert referral.patient.nhs_number_display in html  # on today's visits
    assert entry.patient.full_name in html and "Ted Waiting" in html
    assert "<style" in html and "@media print" in html  # opens and prints on its own, the system down
    logged = AccessLog.objects.filter(actor=manager, kind=AccessLog.Kind.EXPORT).first()
    assert logged.record_id == "paper: Downtime copy" and logged.rows == 3  # the visit, the board entry, the call back


def test_the_queries_stay_flat_as_rows_grow(client, manager, falls, call_handler):
    def queries_for_the_export() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("downtime:export")).status_code == 200
        return len(queries)

    factories.referral(need=falls, actor=call_handler)
    client.force_login(manager)
    client.get(reverse("downtime:export"))
    few = queries_for_the_export()
    for _ in range(20):
        factories.referral(need=falls, actor=call_handler)

    assert queries_for_the_export() == few


def test_a_list_longer_than_the_bound_says_it_was_cut_short(clinician, falls, call_handler, physical_queue, monkeypatch):
    monkeypatch.setattr(downtime, "PAPER_LIMIT", 2)
    for _ in range(3):
        factories.referral(need=falls, actor=call_handler)

    section = downtime.paper_queue(queue=physical_queue, fetched_by=clinician)

    assert len(section.rows) == 2 and section.cut_short


@pytest.mark.parametrize("role", [User.Role.CALL_HANDLER, User.Role.DUTY_CLINICIAN, User.Role.TEAM_LEAD, User.Role.TOC])
def test_only_managers_and_administrators_take_the_downtime_export(client, db, role):
    client.force_login(factories.user(role))

    response = client.get(reverse("downtime:export"))

    assert response.status_code == 403
    assert "Only managers and administrators can do this." in response.content.decode()


def test_the_scheduled_copy_is_written_to_the_folder_as_the_named_manager_and_logged(manager, visit_today, tmp_path, settings):
    from reporting.tasks import write_downtime_copy

    settings.CCC_DOWNTIME_DIR, settings.CCC_DOWNTIME_USER = str(tmp_path / "downtime"), manager.username

    written = write_downtime_copy()

    html = (tmp_path / "downtime" / "ccc-downtime-latest.html").read_text()
    assert written.endswith(".html") and (tmp_path / "downtime").joinpath(written.rsplit("/", 1)[-1]).exists()
    assert visit_today.episode.patient.full_name in html and "@media print" in html
    assert not list((tmp_path / "downtime").glob("*.partial"))
    logged = AccessLog.objects.get(actor=manager, kind=AccessLog.Kind.EXPORT)
    assert logged.path == f"file:{written}" and logged.rows == 1


def test_the_scheduled_copy_is_refused_for_someone_who_may_not_take_it(clinician, tmp_path):
    from ccc.permissions import ActionRefused

    with pytest.raises(ActionRefused):
        downtime.downtime_copy_write(actor=clinician, folder=tmp_path)
    assert not list(tmp_path.iterdir()) and not AccessLog.objects.exists()

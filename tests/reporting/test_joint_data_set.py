"""The joint data set: the same rows as CSV and JSON, every field defined in docs/JOINT_DATA_SET.md."""

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse

from reporting.joint import FIELDS
from tests import factories

DOC = Path(__file__).resolve().parents[2] / "docs" / "JOINT_DATA_SET.md"
JUNE = {"period": "month", "date": "2025-06-15"}


@pytest.fixture
def two_referrals(falls, crisis, call_handler, clinician):
    triaged = factories.referral_at(
        need=falls,
        actor=call_handler,
        received_at=datetime(2025, 6, 1, 23, 30, tzinfo=UTC),
        triaged_by=clinician,
        minutes_to_triage=150,
        priority="urgent",
        outcome="signpost",
        patient_=factories.patient(nhs_number="9990000018"),
    )
    waiting = factories.referral_at(
        need=crisis, actor=call_handler, received_at=datetime(2025, 6, 3, 9, tzinfo=UTC)
    )
    factories.referral_at(need=falls, actor=call_handler, received_at=datetime(2025, 7, 1, 9, tzinfo=UTC))
    return triaged, waiting


def test_every_field_is_defined_in_the_document_in_the_same_order():
    documented = re.findall(r"^\| `([a-z_]+)` \|", DOC.read_text(), flags=re.MULTILINE)

    assert documented == list(FIELDS)


def test_the_csv_has_one_row_per_referral_received_in_the_period(client, manager, two_referrals):
    triaged, waiting = two_referrals
    client.force_login(manager)

    response = client.get(reverse("reporting:joint_data_set_csv"), JUNE)

    assert response["Content-Disposition"] == 'attachment; filename="joint-data-set-2025-06-01-to-2025-06-30.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["referral_id"] for row in rows] == [str(triaged.public_id), str(waiting.public_id)]
    first, second = rows
    assert first["received_at"] == "2025-06-01T23:30:00Z"
    assert first["received_date"] == "2025-06-02"  # 00:30 in London
    assert first["referral_reference"] == triaged.reference
    assert (first["duty_queue"], first["queue_status"], first["triage_priority"], first["triage_outcome"]) == (
        "physical-health",
        "triaged",
        "urgent",
        "signpost",
    )
    assert (first["minutes_to_triage"], first["triaged_within_target"]) == ("150.0", "false")
    assert first["triaged_at"] == "2025-06-02T02:00:00Z"
    assert (second["queue_status"], second["triaged_at"], second["minutes_to_triage"]) == ("waiting", "", "")
    assert first["patient_id"] == str(triaged.patient.public_id)


def test_the_csv_never_carries_the_nhs_number_or_name(client, manager, two_referrals):
    triaged, _ = two_referrals
    client.force_login(manager)

    content = b"".join(client.get(reverse("reporting:joint_data_set_csv"), JUNE).streaming_content).decode()

    assert "9990000018" not in content
    assert triaged.patient.family_name not in content


def test_a_row_carries_the_irr_episode_its_triage_opened_and_the_patients_discharge(
    client, manager, falls, call_handler, irr_clinician, irr_team
):
    from discharge.models import RegisterEntry
    from irr.models import Episode

    referral = factories.referral_at(
        need=falls,
        actor=call_handler,
        received_at=datetime(2025, 6, 3, 9, tzinfo=UTC),
        triaged_by=irr_clinician,
        minutes_to_triage=20,
        priority="urgent",
    )
    decision = referral.queue_item.decisions.get()
    episode = Episode.objects.filter(source_decision=decision).first() or factories.episode(
        decision=decision, lead=irr_clinician, team=irr_team
    )
    stay = factories.register_entry(actor=call_handler, patient_=referral.patient)
    RegisterEntry.objects.filter(pk=stay.pk).update(
        registered_at=datetime(2025, 6, 10, 9, tzinfo=UTC),
        admitted_on=datetime(2025, 6, 5).date(),
        fit_on=datetime(2025, 6, 12).date(),
        discharged_on=datetime(2025, 6, 14).date(),
        pathway_used=1,
        status=RegisterEntry.Status.DISCHARGED,
    )
    waiting = factories.referral_at(
        need=falls, actor=call_handler, received_at=datetime(2025, 6, 4, 9, tzinfo=UTC)
    )
    client.force_login(manager)

    response = client.get(reverse("reporting:joint_data_set_csv"), JUNE)

    rows = {
        row["referral_id"]: row for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    }
    row, other = rows[str(referral.public_id)], rows[str(waiting.public_id)]
    assert (row["irr_episode_id"], row["irr_team"], row["episode_status"]) == (
        str(episode.public_id),
        episode.team.name,
        "open",
    )
    assert row["episode_opened_at"].endswith("Z") and row["episode_closed_at"] == ""
    assert (row["toc_entry_id"], row["admitted_on"], row["discharge_ready_date"], row["discharged_on"]) == (
        str(stay.public_id),
        "2025-06-05",
        "2025-06-12",
        "2025-06-14",
    )
    assert row["discharge_pathway"] == "1"
    assert all(other[field] == "" for field in ("irr_episode_id", "toc_entry_id", "discharge_pathway"))
    # The CSV keeps the columns partners already read in their places: the new ones come last.
    assert list(FIELDS)[-11:] == [
        "irr_episode_id",
        "irr_team",
        "episode_opened_at",
        "episode_status",
        "episode_closed_at",
        "episode_outcome",
        "toc_entry_id",
        "admitted_on",
        "discharge_ready_date",
        "discharged_on",
        "discharge_pathway",
    ]

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
        received_by=call_handler,
        received_at=datetime(2025, 6, 1, 23, 30, tzinfo=UTC),
        triaged_by=clinician,
        minutes_to_triage=150,
        priority="urgent",
        outcome="signpost",
        patient_=factories.patient(nhs_number="9990000018"),
    )
    waiting = factories.referral_at(
        need=crisis, received_by=call_handler, received_at=datetime(2025, 6, 3, 9, tzinfo=UTC)
    )
    factories.referral_at(need=falls, received_by=call_handler, received_at=datetime(2025, 7, 1, 9, tzinfo=UTC))
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

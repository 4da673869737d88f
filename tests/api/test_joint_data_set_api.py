"""The joint data set through the API: JSON rows with the fields of the CSV."""

from datetime import UTC, datetime

import pytest

from reporting.joint import FIELDS
from tests import factories

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
    )
    waiting = factories.referral_at(
        need=crisis, actor=call_handler, received_at=datetime(2025, 6, 3, 9, tzinfo=UTC)
    )
    return triaged, waiting


def test_the_api_gives_the_same_rows_as_json(login, manager, two_referrals):
    triaged, waiting = two_referrals

    body = login(manager).get("/api/v1/joint-data-set/", {**JUNE, "limit": 1}).json()

    assert body["period"] == {"first": "2025-06-01", "last": "2025-06-30"}
    assert body["fields"] == list(FIELDS)
    assert body["count"] == 2 and body["next"]
    row = body["results"][0]
    assert list(row) == list(FIELDS)
    assert row["referral_id"] == str(triaged.public_id)
    assert (row["minutes_to_triage"], row["triaged_within_target"]) == (150.0, False)
    rest = login(manager).get(body["next"]).json()["results"]
    assert [r["referral_id"] for r in rest] == [str(waiting.public_id)]
    assert rest[0]["triaged_within_target"] is None


def test_a_team_lead_exports_only_their_teams_referrals(login, team_lead, two_referrals):
    triaged, _ = two_referrals

    body = login(team_lead).get("/api/v1/joint-data-set/", JUNE).json()

    assert [row["referral_id"] for row in body["results"]] == [str(triaged.public_id)]
    assert body["scope"] == "IRR physical health"


def test_a_bad_period_is_a_400_naming_the_field(login, manager):
    response = login(manager).get("/api/v1/joint-data-set/", {"period": "custom", "date": "2025-06-01"})

    assert response.status_code == 400
    assert "end" in response.json()

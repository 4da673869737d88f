"""The Transfer of Care API behaves as the pages do: same services, same rules."""


import pytest
from django.utils import timezone

from discharge import services
from discharge.models import RegisterEntry
from tests import factories


@pytest.fixture
def body(toc_body):
    return toc_body


def test_registering_twice_with_one_key_makes_one_entry(login, toc_nurse, body):
    client = login(toc_nurse)

    first = client.post("/api/v1/toc/register/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/v1/toc/register/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.data["public_id"] == second.data["public_id"]
    assert first.data["patient"]["nhs_number"] == "9990000034"
    assert first.data["plan_due_at"] is not None
    assert RegisterEntry.objects.count() == 1


def test_registering_without_a_key_is_refused(login, toc_nurse, body):
    assert login(toc_nurse).post("/api/v1/toc/register/", body, format="json").status_code == 400


def test_the_last_bed_taken_answers_409(login, toc_nurse, ward):
    beds = factories.pathway_service(name="Beds", pathway=2, capacity=1)
    first = factories.register_entry(actor=toc_nurse, ward_=ward)
    second = factories.register_entry(actor=toc_nurse, ward_=ward)
    for entry in (first, second):
        services.pathway_set(entry=entry, actor=toc_nurse, pathway=2)
    client = login(toc_nurse)

    ok = client.post(f"/api/v1/toc/register/{first.public_id}/reserve/", {"service": beds.pk}, format="json")
    refused = client.post(f"/api/v1/toc/register/{second.public_id}/reserve/", {"service": beds.pk}, format="json")

    assert ok.status_code == 201
    assert refused.status_code == 409 and "no free beds" in refused.data["detail"]
    capacity = client.get("/api/v1/toc/capacity/").data
    assert [(row["name"], row["reserved"], row["free"]) for row in capacity] == [("Beds", 1, 0)]


def test_a_pathway_change_without_a_reason_is_a_400_naming_the_field(login, toc_nurse, entry):
    client = login(toc_nurse)
    client.post(f"/api/v1/toc/register/{entry.public_id}/pathway/", {"pathway": 1}, format="json")

    response = client.post(f"/api/v1/toc/register/{entry.public_id}/pathway/", {"pathway": 2}, format="json")

    assert response.status_code == 400 and "reason" in response.data


def test_a_delay_shows_on_the_register_list_with_its_code_set(login, toc_nurse, entry):
    client = login(toc_nurse)
    created = client.post(
        f"/api/v1/toc/register/{entry.public_id}/delays/",
        {"reason_code_set": "dtoc", "reason_code": "G", "attribution": "nhs", "starts_on": entry.fit_on.isoformat()},
        format="json",
    )
    assert created.status_code == 201 and created.data["reason_code"] == "G"

    rows = client.get("/api/v1/toc/register/?workable=waiting").data["results"]

    assert [(row["delay_reason"], row["delay_attribution"]) for row in rows] == [("Patient or family choice", "nhs")]
    assert client.get("/api/v1/toc/register/?workable=yes").data["count"] == 0


def test_monthly_figures_need_a_month_and_give_the_rate(login, manager, toc_nurse, ward):
    services.occupancy_record(ward=ward, on=timezone.datetime(2025, 10, 1).date(), occupied_beds=20, actor=toc_nurse)
    client = login(manager)

    assert client.get("/api/v1/toc/figures/").status_code == 400
    figures = client.get("/api/v1/toc/figures/?month=2025-10").data

    assert figures["occupied_bed_days"] == 20 and figures["rate_percent"] == "0.00"
    assert figures["target_percent"] == "3.5" and figures["within_target"] is True


def test_an_owner_outside_the_team_is_a_400_on_update_as_on_the_page(login, toc_nurse, call_handler, entry):
    response = login(toc_nurse).post(
        f"/api/v1/toc/register/{entry.public_id}/update/",
        {"owner": call_handler.username, "next_action": "", "next_action_due": None, "fit_on": entry.fit_on.isoformat()},
        format="json",
    )

    assert response.status_code == 400 and "Transfer of Care team" in str(response.data["owner"])


def test_discharging_an_entry_already_discharged_answers_409(login, toc_nurse, entry):
    body = {"discharged_on": timezone.localdate().isoformat(), "destination": "Home", "pathway_used": 0,
            "readmission_risk": "low"}
    client = login(toc_nurse)

    first = client.post(f"/api/v1/toc/register/{entry.public_id}/discharge/", body, format="json")
    again = client.post(f"/api/v1/toc/register/{entry.public_id}/discharge/", body, format="json")

    assert (first.status_code, first.data["status"]) == (200, "discharged")
    assert again.status_code == 409 and "already been discharged" in again.data["detail"]

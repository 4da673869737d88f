"""What the schema fuzz found: parameters nobody would type answer 400 with a message, never a
server error, and the answers a list gives stay inside the published schema."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ccc.pagination import MAX_LIMIT, MAX_OFFSET
from tests import factories
from triage.models import SensitiveNoteView

HUGE = "99999999999999999999"  # past PostgreSQL's bigint


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("call_handler", "/api/v1/referrals/"),
        ("call_handler", "/api/v1/follow-up-calls/"),
        ("call_handler", "/api/v1/transport-bookings/"),
        ("toc_member", "/api/v1/toc/register/"),
        ("manager", "/api/v1/irr-episodes/"),
    ],
)
@pytest.mark.parametrize(
    "params",
    [{"limit": HUGE}, {"limit": "0"}, {"limit": "-1"}, {"limit": "ten"}, {"limit": MAX_LIMIT + 1},
     {"offset": HUGE}, {"offset": "-1"}, {"offset": MAX_OFFSET + 1}, {"offset": "²"}],
)
def test_a_page_size_or_offset_out_of_range_is_refused_with_a_message(request, login, role, path, params):
    response = login(request.getfixturevalue(role)).get(path, params)

    assert response.status_code == 400
    name = next(iter(params))
    assert f"{name} must be a whole number from" in response.json()[name][0]


def test_the_largest_page_and_offset_allowed_are_answered(login, call_handler, referral):
    response = login(call_handler).get("/api/v1/referrals/", {"limit": MAX_LIMIT, "offset": MAX_OFFSET})

    assert response.status_code == 200
    assert response.json()["count"] == 1 and response.json()["results"] == []


def test_a_negative_offset_on_queue_items_is_refused(login, clinician, physical_queue, referral):
    response = login(clinician).get(f"/api/v1/queues/{physical_queue.code}/items/", {"offset": "-5", "limit": HUGE})

    assert response.status_code == 400
    assert set(response.json()) == {"offset"} or set(response.json()) == {"limit"}


@pytest.mark.parametrize("path", ["/api/v1/oruk/services", "/api/v1/oruk/taxonomy_terms"])
def test_a_huge_oruk_page_is_refused_with_a_message(login, call_handler, path):
    response = login(call_handler).get(path, {"page": HUGE})

    assert response.status_code == 400
    assert "page" in response.json()


def test_a_fhir_offset_past_any_list_is_an_operation_outcome(login, manager, referral):
    response = login(manager).get("/api/v1/fhir/ServiceRequest/", {"_offset": HUGE})

    assert response.status_code == 400
    issue = response.json()["issue"][0]
    assert issue["code"] == "invalid"
    assert issue["diagnostics"] == f"_offset must be a whole number from 0 to {MAX_OFFSET}"


@pytest.mark.parametrize("month", ["0000-01", "0001-12", "9999-12", "2026-13", "2026-1"])
def test_toc_figures_for_a_month_no_calendar_has_is_refused(login, toc_member, month):
    response = login(toc_member).get("/api/v1/toc/figures/", {"month": month})

    assert response.status_code == 400
    assert response.json() == {"month": ["Give a month as YYYY-MM, from 1900-01 to 2999-12"]}


def test_an_administrator_sees_the_history_page_of_a_sensitive_note_view(
    client, administrator, clinician, referral
):
    decision = factories.triaged(referral_=referral, clinician=clinician)
    seen = SensitiveNoteView.objects.create(decision=decision, viewed_by=clinician, viewed_at=timezone.now())
    client.force_login(administrator)

    response = client.get(reverse("admin:triage_sensitivenoteview_history", args=[seen.pk]))

    assert response.status_code == 200


def allowed_values(schema: dict, component: str, field: str) -> set:
    """The values the published schema allows for a field that is an enum (or one of several)."""
    components = schema["components"]["schemas"]
    parts = [components[component]["properties"][field]]
    values = set()
    while parts:
        part = parts.pop()
        if "$ref" in part:
            parts.append(components[part["$ref"].rsplit("/", 1)[-1]])
        parts += part.get("oneOf", []) + part.get("allOf", [])
        values |= set(part.get("enum", []))
    return values


def test_an_open_episode_and_an_undischarged_entry_send_blanks_the_schema_allows(
    login, administrator, manager, clinician, irr_clinician, irr_team, referral, entry
):
    factories.episode(decision=factories.triaged(referral_=referral, clinician=clinician), lead=irr_clinician, team=irr_team)
    schema = login(administrator).get("/api/schema/", HTTP_ACCEPT="application/json").json()

    episode = login(manager).get("/api/v1/irr-episodes/").json()["results"][0]
    register = login(manager).get("/api/v1/toc/register/").json()["results"][0]

    assert episode["outcome"] == "" and "" in allowed_values(schema, "Episode", "outcome")
    assert register["readmission_risk"] == "" and "" in allowed_values(schema, "RegisterEntry", "readmission_risk")

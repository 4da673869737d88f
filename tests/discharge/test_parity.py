"""Parity: each Transfer of Care write the pages and the API both offer, done once each way from
the same starting point, leaves the same records, the same history (rows and who made them) and
the same state."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from discharge import services
from discharge.models import (
    BedOccupancy,
    CapacityBooking,
    Delay,
    DelaySignOff,
    PathwayChange,
    RegisterEntry,
    ResidenceReview,
    TrustedAssessment,
)
from escalations.models import Clock
from irr.models import Episode, EpisodeMember
from referrals.models import FollowUpCall, Patient, TimelineEvent
from tests import factories
from tests.parity import both_ways, history, snapshot

TRACKED = (
    BedOccupancy, ResidenceReview, Patient, RegisterEntry, PathwayChange, CapacityBooking, Delay, DelaySignOff, TrustedAssessment, Clock,
    # What a discharge hands over.
    Episode, EpisodeMember, FollowUpCall, TimelineEvent,
)


def done_both_ways(page, api) -> tuple[dict, dict]:
    """The shared ``both_ways`` over the Transfer of Care records, both runs rolled back, refusing a
    page that changed nothing."""
    before = snapshot(tracked=TRACKED)
    responses = []

    def through(call):
        return lambda: responses.append(call())

    with transaction.atomic():  # the API's run is rolled back too: a test may go on from the start
        on_page, by_api = both_ways(through(page), through(api), tracked=TRACKED)
        transaction.set_rollback(True)
    for response in responses:
        assert response.status_code in (200, 201, 302), getattr(response, "data", response)
    assert on_page != before, "the page changed nothing: no parity to show"
    return on_page, by_api


def day(value) -> str:
    return value.strftime("%d %m %Y")


@pytest.fixture
def both(client, login, toc_nurse):
    client.force_login(toc_nurse)
    return client, login(toc_nurse)


def test_registering_a_patient(both, toc_nurse, ward):
    page, api = both
    today = timezone.localdate()
    admitted, referred, fit = (today - timedelta(days=days) for days in (8, 6, 2))
    common = {"given_name": "Edith", "family_name": "Crawley", "consultant": "Dr Evans", "source": "in_reach",
              "next_action": "MDT on Monday"}

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:entry_register"), {
            **common, "submission_key": "same-key", "nhs_number": "999 000 0026", "date_of_birth": "2 5 1938",
            "ward": ward.pk, "admitted_on": day(admitted), "referred_on": day(referred), "fit_on": day(fit),
            "owner": toc_nurse.pk,
        }),
        lambda: api.post("/api/v1/toc/register/", {
            **common, "nhs_number": "9990000026", "date_of_birth": "1938-05-02", "ward": ward.code,
            "admitted_on": admitted.isoformat(), "referred_on": referred.isoformat(), "fit_on": fit.isoformat(),
            "owner": toc_nurse.username,
        }, format="json", HTTP_IDEMPOTENCY_KEY="same-key"),
    )

    assert on_page == by_api
    assert history(on_page, "RegisterEntry") == [("+", toc_nurse.pk)]
    assert on_page["Clock"][0]["state"] == "open"


@pytest.mark.parametrize("reason", ["", "Needs a bed after all"])
def test_setting_and_changing_the_pathway(both, toc_nurse, entry, reason):
    page, api = both
    if reason:
        services.pathway_set(entry=entry, actor=toc_nurse, pathway=1)

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:entry_pathway", args=[entry.public_id]), {"pathway": "2", "reason": reason}),
        lambda: api.post(f"/api/v1/toc/register/{entry.public_id}/pathway/", {"pathway": 2, "reason": reason}, format="json"),
    )

    assert on_page == by_api
    assert history(on_page, "PathwayChange")[-1] == ("+", toc_nurse.pk)


@pytest.fixture
def planned(entry, toc_nurse, intermediate_care):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=intermediate_care.pathway)
    return entry


def test_reserving_a_bed(both, toc_nurse, planned, intermediate_care):
    page, api = both

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:entry_reserve", args=[planned.public_id]), {"service": intermediate_care.pk}),
        lambda: api.post(f"/api/v1/toc/register/{planned.public_id}/reserve/", {"service": intermediate_care.pk}, format="json"),
    )

    assert on_page == by_api
    assert on_page["CapacityBooking"][0]["status"] == "reserved"


def test_recording_a_delay_ends_the_open_one_either_way(both, toc_nurse, entry):
    page, api = both
    services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason("G"), attribution="nhs", starts_on=entry.fit_on
    )
    reason = factories.delay_reason("E")
    today = timezone.localdate()

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:entry_delay", args=[entry.public_id]), {
            "reason": reason.pk, "attribution": "social_care", "starts_on": day(today), "note": "Care home assessment",
        }),
        lambda: api.post(f"/api/v1/toc/register/{entry.public_id}/delays/", {
            "reason_code_set": reason.code_set, "reason_code": reason.code, "attribution": "social_care",
            "starts_on": today.isoformat(), "note": "Care home assessment",
        }, format="json"),
    )

    assert on_page == by_api
    assert [row["ends_on"] for row in on_page["Delay"]] == [today, None]


def test_signing_a_delay_off(both, toc_nurse, entry):
    page, api = both
    delay = services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
    )

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:delay_sign_off", args=[delay.public_id]), {"partner": "acute"}),
        lambda: api.post(f"/api/v1/toc/delays/{delay.public_id}/sign-off/", {"partner": "acute"}, format="json"),
    )

    assert on_page == by_api
    assert history(on_page, "DelaySignOff") == [("+", toc_nurse.pk)]
    assert on_page["Delay"][0]["agreed_at"] is not None


def test_updating_owner_next_action_and_fit_date(both, toc_nurse, toc_social_worker, entry):
    page, api = both
    fit = entry.fit_on - timedelta(days=1)
    due = timezone.localdate() + timedelta(days=2)

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:entry_update", args=[entry.public_id]), {
            "owner": toc_social_worker.pk, "next_action": "Ring the family", "next_action_due": day(due),
            "fit_on": day(fit),
        }),
        lambda: api.post(f"/api/v1/toc/register/{entry.public_id}/update/", {
            "owner": toc_social_worker.username, "next_action": "Ring the family", "next_action_due": due.isoformat(),
            "fit_on": fit.isoformat(),
        }, format="json"),
    )

    assert on_page == by_api
    assert on_page["Clock"][0]["cycle"] == 2  # the new fit date restarted the plan clock


def test_releasing_a_bed(both, toc_nurse, planned, intermediate_care):
    page, api = both
    services.booking_reserve(entry=planned, service=intermediate_care, actor=toc_nurse)

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:booking_release", args=[planned.public_id])),
        lambda: api.post(f"/api/v1/toc/register/{planned.public_id}/release/"),
    )

    assert on_page == by_api
    assert on_page["CapacityBooking"][0]["status"] == "released"


def test_recording_and_accepting_a_trusted_assessment(both, toc_nurse, planned, intermediate_care, acute_trust):
    page, api = both
    today = timezone.localdate()
    fields = {"assessor_name": "A. Nurse", "assessor_organisation": acute_trust.pk, "summary": "Walks with a frame"}

    recorded = done_both_ways(
        lambda: page.post(reverse("discharge:entry_assessment", args=[planned.public_id]),
                          {**fields, "assessed_on": day(today)}),
        lambda: api.post(f"/api/v1/toc/register/{planned.public_id}/assessment/",
                         {**fields, "assessed_on": today.isoformat()}, format="json"),
    )
    services.trusted_assessment_record(entry=planned, actor=toc_nurse, assessed_on=today, **fields | {
        "assessor_organisation": acute_trust,
    })
    accepted = done_both_ways(
        lambda: page.post(reverse("discharge:assessment_accept", args=[planned.public_id]),
                          {"service": intermediate_care.pk}),
        lambda: api.post(f"/api/v1/toc/register/{planned.public_id}/assessment/accept/",
                         {"service": intermediate_care.pk}, format="json"),
    )

    assert recorded[0] == recorded[1] and accepted[0] == accepted[1]
    assert accepted[0]["TrustedAssessment"][0]["accepted_by"] == toc_nurse.pk


def test_discharging_on_pathway_1_at_high_risk_hands_over_the_same_way(both, toc_nurse, entry, irr_for_pathway_1):
    page, api = both
    today = timezone.localdate()
    common = {"destination": "Home", "pathway_used": 1, "readmission_risk": "high"}

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:entry_discharge", args=[entry.public_id]),
                          {**common, "discharged_on": day(today)}),
        lambda: api.post(f"/api/v1/toc/register/{entry.public_id}/discharge/",
                         {**common, "discharged_on": today.isoformat()}, format="json"),
    )

    assert on_page == by_api
    assert len(on_page["Episode"]) == 1 and len(on_page["FollowUpCall"]) == 2


@pytest.mark.parametrize("days_ago", [0, 1])
def test_ending_a_delay_today_or_on_a_past_day(both, toc_nurse, entry, days_ago):
    page, api = both
    ended = timezone.localdate() - timedelta(days=days_ago)
    delay = services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason(), attribution="nhs", starts_on=entry.fit_on
    )

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:delay_end", args=[delay.public_id]), {"ends_on": day(ended)}),
        lambda: api.post(f"/api/v1/toc/delays/{delay.public_id}/end/", {"ends_on": ended.isoformat()},
                         format="json"),
    )

    assert on_page == by_api
    assert on_page["Delay"][0]["ends_on"] == ended


def test_entering_a_day_of_bed_occupancy(both, toc_nurse, ward):
    page, api = both
    on = timezone.localdate() - timedelta(days=1)

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:occupancy"), {"enter": "1", "ward": ward.pk, "on": day(on),
                                                          "occupied_beds": "24"}),
        lambda: api.post("/api/v1/toc/occupancy/", {"ward": ward.code, "on": on.isoformat(), "occupied_beds": 24},
                         format="json"),
    )

    assert on_page == by_api
    assert [(row["date"], row["occupied_beds"]) for row in on_page["BedOccupancy"]] == [(on, 24)]


def test_loading_a_bed_occupancy_file(both, toc_nurse, ward):
    page, api = both
    text = f"ward,date,occupied_beds\n{ward.code},2025-10-01,24\n{ward.code},02/10/2025,25\n"

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:occupancy"), {"upload": "1", "file": SimpleUploadedFile("b.csv", text.encode())}),
        lambda: api.post("/api/v1/toc/occupancy/import/", {"file": SimpleUploadedFile("b.csv", text.encode())},
                         format="multipart"),
    )

    assert on_page == by_api
    assert history(on_page, "BedOccupancy") == [("+", toc_nurse.pk), ("+", toc_nurse.pk)]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"on": "2999-01-01", "occupied_beds": 3}, "on"),
        ({"on": "2025-10-01", "occupied_beds": -1}, "occupied_beds"),
    ],
)
def test_the_api_refuses_bad_occupancy_like_the_page(both, ward, body, field):
    _, api = both

    response = api.post("/api/v1/toc/occupancy/", {"ward": ward.code, **body}, format="json")

    assert response.status_code == 400 and field in response.data
    assert not BedOccupancy.objects.exists()


def test_a_file_with_a_bad_line_loads_nothing_over_the_api(both, ward):
    _, api = both
    text = f"ward,date,occupied_beds\n{ward.code},2025-10-01,24\nward-99,2025-10-02,25\n"

    response = api.post("/api/v1/toc/occupancy/import/", {"csv": text}, format="json")

    assert response.status_code == 400
    assert response.data["detail"] == ["Line 3: unknown ward “ward-99”"]
    assert not BedOccupancy.objects.exists()


@pytest.mark.parametrize("meets", [True, False])
def test_reviewing_the_criteria_to_reside(both, toc_nurse, entry, meets):
    page, api = both
    today = timezone.localdate()
    since = None if meets else entry.fit_on

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:entry_review", args=[entry.public_id]), {
            "reviewed_on": day(today), "meets_criteria": "yes" if meets else "no",
            "not_met_since": day(since) if since else "", "note": "Board round",
        }),
        lambda: api.post(f"/api/v1/toc/register/{entry.public_id}/reviews/", {
            "reviewed_on": today.isoformat(), "meets_criteria": meets,
            "not_met_since": since.isoformat() if since else None, "note": "Board round",
        }, format="json"),
    )

    assert on_page == by_api
    assert on_page["RegisterEntry"][0]["discharge_ready_on"] == since
    assert history(on_page, "ResidenceReview") == [("+", toc_nurse.pk)]


def test_setting_the_discharge_dates_by_hand(both, toc_nurse, entry):
    page, api = both
    expected = timezone.localdate() + timedelta(days=2)

    on_page, by_api = done_both_ways(
        lambda: page.post(reverse("discharge:entry_discharge_dates", args=[entry.public_id]), {
            "discharge_ready_on": day(entry.fit_on), "reason": "Agreed at MDT", "expected_discharge_on": day(expected),
        }),
        lambda: api.post(f"/api/v1/toc/register/{entry.public_id}/discharge-dates/", {
            "discharge_ready_on": entry.fit_on.isoformat(), "reason": "Agreed at MDT",
            "expected_discharge_on": expected.isoformat(),
        }, format="json"),
    )

    assert on_page == by_api
    row = on_page["RegisterEntry"][0]
    assert (row["discharge_ready_on"], row["discharge_ready_reason"], row["expected_discharge_on"]) == (
        entry.fit_on, "Agreed at MDT", expected
    )


def test_a_second_review_the_same_day_is_refused_both_ways(both, toc_nurse, entry):
    page, api = both
    today = timezone.localdate()
    services.residence_review_record(entry=entry, actor=toc_nurse, reviewed_on=today, meets_criteria=True)

    on_page = page.post(reverse("discharge:entry_review", args=[entry.public_id]),
                        {"reviewed_on": day(today), "meets_criteria": "yes"})
    by_api = api.post(f"/api/v1/toc/register/{entry.public_id}/reviews/",
                      {"reviewed_on": today.isoformat(), "meets_criteria": True}, format="json")

    assert on_page.status_code == 400 and "already reviewed" in on_page.content.decode()
    assert by_api.status_code == 409 and "already reviewed" in by_api.data["detail"]
    assert ResidenceReview.objects.count() == 1

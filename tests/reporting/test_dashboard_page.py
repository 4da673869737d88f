"""The dashboard page: charts with their numbers, CSV downloads, scope by organisation or team."""

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from django.urls import reverse

from ccc.models import User
from discharge.models import BedOccupancy
from reporting.figures import FIGURES
from tests import factories

WEEK = {"period": "week", "date": "2025-06-04"}


@pytest.fixture
def refer(falls, call_handler):
    def make(received_at=datetime(2025, 6, 2, 10, tzinfo=UTC), need=None, **kwargs):
        return factories.referral_at(need=need or falls, actor=call_handler, received_at=received_at, **kwargs)

    return make


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.getvalue().decode())))


def test_a_manager_sees_every_chart_drawn_with_its_numbers(client, manager, refer, clinician):
    refer()
    refer(triaged_by=clinician, minutes_to_triage=45, priority="urgent")
    client.force_login(manager)

    response = client.get(reverse("reporting:dashboard"), WEEK)

    html = response.content.decode()
    assert response.status_code == 200
    assert "All organisations, 2 June 2025 to 8 June 2025" in html
    # A figure with nothing to draw says so instead of a chart; each keeps its table and CSV.
    drawn = sum(1 for shown in response.context["figures"] if shown.chart)
    assert html.count('<svg class="ccc-chart"') == drawn and html.count("data-empty>") == len(FIGURES) - drawn
    assert html.count('<title id="chart-') == drawn and html.count('<desc id="chart-') == drawn
    assert html.count("the numbers</span></summary>") == len(FIGURES) == html.count("(CSV)</a>") - 1  # and the joint data set
    assert "Highest: 2 (2 Jun)" in html  # the per-day chart's description
    assert (
        '<td class="nhsuk-table__cell">Physical health duty queue</td><td class="nhsuk-table__cell nhsuk-table__cell--numeric">2</td>'
        in html
    )
    assert "cdn" not in html.lower()
    # No chart library: the only script file is our own idle warning, shown on every signed-in page.
    assert re.findall(r"<script[^>]*\bsrc=\"([^\"]+)\"", html) == ["/static/ccc/idle-timeout.js"]


def test_the_page_makes_the_same_number_of_queries_however_much_data(
    client, manager, refer, clinician, crisis, call_handler, django_assert_num_queries
):
    client.force_login(manager)
    url = reverse("reporting:dashboard")
    refer()
    # 30 queries: session, user, organisation/team choices (3); referrals per day, per hour, by
    # source, by queue (4), waiting now (2), time to triage (1); contacts per day, per hour, by source,
    # by outcome (4); signposting by service, unmet needs (2); escalations live, per week (2); IRR
    # capacity (1); MFFD by pathway and free places (2); delayed-transfer figures for the one month
    # (total, by attribution, by reason, occupancy, target setting: 5); stranded (1); bed occupancy
    # (1); the header's unread notifications (1); the headlines' referrals today and this week (1).
    # A period touching n months adds 6 per extra month.
    with django_assert_num_queries(30):
        client.get(url, WEEK)
    ward = factories.ward()
    for day in range(2, 9):
        refer(datetime(2025, 6, day, 10, tzinfo=UTC), triaged_by=clinician, minutes_to_triage=day, priority="urgent")
        refer(datetime(2025, 6, day, 14, tzinfo=UTC), need=crisis)
        factories.contact(actor=call_handler, started_at=datetime(2025, 6, day, 11, tzinfo=UTC))
        factories.register_entry(actor=call_handler, ward_=ward)
        BedOccupancy.objects.create(ward=ward, date=date(2025, 6, day), occupied_beds=20, recorded_by=call_handler)

    with django_assert_num_queries(30):
        client.get(url, WEEK)


def test_a_figure_downloads_as_csv_with_its_column_names(client, manager, refer, clinician):
    refer(triaged_by=clinician, minutes_to_triage=30, priority="urgent")
    refer(triaged_by=clinician, minutes_to_triage=150, priority="urgent")
    client.force_login(manager)

    response = client.get(reverse("reporting:figure_csv", args=["time-to-triage"]), WEEK)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="time-to-triage-2025-06-02-to-2025-06-08.csv"' in response["Content-Disposition"]
    assert csv_rows(response) == [
        [
            "Duty queue",
            "Priority",
            "Target (minutes)",
            "Triaged",
            "Median (minutes)",
            "90th percentile (minutes)",
            "Within target",
            "Within target (%)",
        ],
        ["Physical health duty queue", "Urgent", "120", "2", "90.0", "138.0", "1", "50.0"],
    ]


def test_per_day_csv_lists_every_day_of_a_custom_period(client, manager, refer):
    refer(datetime(2025, 6, 3, 23, 30, tzinfo=UTC))  # 00:30 on the 4th in London (BST)
    client.force_login(manager)

    response = client.get(
        reverse("reporting:figure_csv", args=["referrals-per-day"]),
        {"period": "custom", "date": "2025-06-03", "end": "2025-06-05"},
    )

    assert csv_rows(response) == [["Day", "Referrals"], ["2025-06-03", "0"], ["2025-06-04", "1"], ["2025-06-05", "0"]]


def test_an_unknown_figure_is_not_found_and_a_bad_period_is_refused(client, manager):
    client.force_login(manager)

    assert client.get(reverse("reporting:figure_csv", args=["no-such-figure"]), WEEK).status_code == 404
    bad = {"period": "custom", "date": "2025-06-05", "end": "2025-06-01"}
    assert client.get(reverse("reporting:figure_csv", args=["referrals-per-day"]), bad).status_code == 400
    page = client.get(reverse("reporting:dashboard"), bad)
    assert "The last day must be on or after the first day" in page.content.decode()
    assert page.context["figures"] == []


def test_a_manager_narrows_the_figures_to_an_organisation_or_a_team(
    client, manager, refer, crisis, physical_queue, mental_queue
):
    physical_team = factories.team(name="IRR physical")
    mental_team = factories.team(name="IRR mental")
    physical_queue.team, mental_queue.team = physical_team, mental_team
    physical_queue.save()
    mental_queue.save()
    refer()
    refer(need=crisis)
    client.force_login(manager)
    url = reverse("reporting:figure_csv", args=["referrals-by-queue"])

    everything = csv_rows(client.get(url, WEEK))
    one_team = csv_rows(client.get(url, {**WEEK, "scope": f"team-{mental_team.pk}"}))
    one_organisation = csv_rows(client.get(url, {**WEEK, "scope": f"organisation-{physical_team.organisation_id}"}))

    assert len(everything) == 3
    assert one_team == [["Duty queue", "Referrals"], ["Mental health duty queue", "1"]]
    assert one_organisation == [["Duty queue", "Referrals"], ["Physical health duty queue", "1"]]


def test_a_team_lead_sees_only_their_own_teams_queues_whatever_they_ask(client, team_lead, refer, crisis, mental_queue):
    other_team = factories.team(name="IRR mental")
    mental_queue.team = other_team
    mental_queue.save()
    refer()
    refer(need=crisis)
    client.force_login(team_lead)

    page = client.get(reverse("reporting:dashboard"), {**WEEK, "scope": f"team-{other_team.pk}"})
    rows = csv_rows(
        client.get(
            reverse("reporting:figure_csv", args=["referrals-by-queue"]), {**WEEK, "scope": f"team-{other_team.pk}"}
        )
    )

    assert "IRR physical health, 2 June 2025" in page.content.decode()
    assert "scope" not in page.context["form"].fields  # nothing to choose
    assert rows == [["Duty queue", "Referrals"], ["Physical health duty queue", "1"]]


def test_a_team_lead_without_a_team_sees_nothing(client, refer):
    lead = factories.user(User.Role.TEAM_LEAD)
    refer()
    client.force_login(lead)

    rows = csv_rows(client.get(reverse("reporting:figure_csv", args=["referrals-by-queue"]), WEEK))

    assert rows == [["Duty queue", "Referrals"]]


def test_a_team_lead_is_not_shown_the_system_wide_figures(client, team_lead, manager):
    client.force_login(team_lead)

    page = client.get(reverse("reporting:dashboard"), WEEK)
    shown = {figure.figure.slug for figure in page.context["figures"]}
    contacts_csv = client.get(reverse("reporting:figure_csv", args=["contacts-per-day"]), WEEK)

    assert shown == {figure.slug for figure in FIGURES if not figure.system_wide}
    assert {"escalations-live-now", "irr-capacity-now", "time-to-triage"} <= shown
    assert contacts_csv.status_code == 404
    client.force_login(manager)
    assert {figure.figure.slug for figure in client.get(reverse("reporting:dashboard"), WEEK).context["figures"]} == {
        figure.slug for figure in FIGURES
    }


def test_a_manager_may_not_ask_for_a_scope_that_is_not_offered(client, manager):
    client.force_login(manager)

    response = client.get(reverse("reporting:figure_csv", args=["referrals-per-day"]), {"scope": "team-999999"})

    assert response.status_code == 400

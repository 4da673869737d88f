"""Criteria to reside and the discharge ready date (issue 17): the daily review, the date it
sets, setting it by hand, and the national figures on a hand-built data set with known answers."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ccc.exceptions import Conflict
from discharge import selectors, services
from discharge.models import ResidenceReview
from tests import factories


def review(entry, actor, on, since=None, **kwargs):
    return services.residence_review_record(
        entry=entry, actor=actor, reviewed_on=on, meets_criteria=since is None, not_met_since=since, **kwargs
    )


def test_a_review_that_the_criteria_are_no_longer_met_sets_the_discharge_ready_date(toc_nurse, entry):
    today = timezone.localdate()

    review(entry, toc_nurse, today, since=today - timedelta(days=2), note="Ward round")

    entry.refresh_from_db()
    assert entry.discharge_ready_on == today - timedelta(days=2)
    assert entry.residence_reviews.get().reviewed_by == toc_nurse


def test_meeting_the_criteria_again_clears_the_discharge_ready_date(toc_nurse, entry):
    today = timezone.localdate()
    review(entry, toc_nurse, today - timedelta(days=1), since=today - timedelta(days=1))

    review(entry, toc_nurse, today)

    entry.refresh_from_db()
    assert entry.discharge_ready_on is None


def test_a_missed_days_review_recorded_late_does_not_overrule_a_later_one(toc_nurse, entry):
    today = timezone.localdate()
    review(entry, toc_nurse, today, since=today - timedelta(days=1))

    review(entry, toc_nurse, today - timedelta(days=2))

    entry.refresh_from_db()
    assert entry.discharge_ready_on == today - timedelta(days=1)


def test_one_review_a_day_a_second_is_refused_naming_who_reviewed(toc_nurse, toc_social_worker, entry):
    today = timezone.localdate()
    review(entry, toc_nurse, today)

    with pytest.raises(Conflict, match="already reviewed"):
        review(entry, toc_social_worker, today, since=today)

    assert ResidenceReview.objects.filter(entry=entry).count() == 1


@pytest.mark.parametrize(
    ("days_since", "reviewed_days_ago", "field"),
    [
        (None, 0, "not_met_since"),  # not met, but since when?
        (-1, 0, "not_met_since"),  # in the future
        (0, -1, "reviewed_on"),  # a review of tomorrow
        (30, 0, "not_met_since"),  # before admission
        (0, 1, "not_met_since"),  # after the day reviewed
    ],
)
def test_a_review_with_impossible_days_is_refused_and_changes_nothing(toc_nurse, entry, days_since, reviewed_days_ago, field):
    today = timezone.localdate()
    since = None if days_since is None else today - timedelta(days=days_since)

    with pytest.raises(ValidationError) as error:
        services.residence_review_record(
            entry=entry, actor=toc_nurse, reviewed_on=today - timedelta(days=reviewed_days_ago), meets_criteria=False,
            not_met_since=since,
        )

    assert field in error.value.message_dict
    entry.refresh_from_db()
    assert (entry.discharge_ready_on, entry.residence_reviews.count()) == (None, 0)


def test_the_discharge_ready_date_set_by_hand_needs_a_reason(toc_nurse, entry):
    with pytest.raises(ValidationError, match="Say why"):
        services.discharge_dates_set(
            entry=entry, actor=toc_nurse, discharge_ready_on=entry.fit_on, expected_discharge_on=None
        )

    services.discharge_dates_set(
        entry=entry, actor=toc_nurse, discharge_ready_on=entry.fit_on, reason="Agreed at the board round",
        expected_discharge_on=timezone.localdate() + timedelta(days=3),
    )

    entry.refresh_from_db()
    assert (entry.discharge_ready_on, entry.discharge_ready_reason) == (entry.fit_on, "Agreed at the board round")
    assert entry.expected_discharge_on == timezone.localdate() + timedelta(days=3)
    assert entry.history.latest().history_user == toc_nurse


def test_the_expected_discharge_date_alone_needs_no_reason_but_not_before_admission(toc_nurse, entry):
    services.discharge_dates_set(
        entry=entry, actor=toc_nurse, discharge_ready_on=None, expected_discharge_on=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="before admission"):
        services.discharge_dates_set(
            entry=entry, actor=toc_nurse, discharge_ready_on=None,
            expected_discharge_on=entry.admitted_on - timedelta(days=1),
        )


# --- The figures, on a hand-built October 2025 -------------------------------------------------


@pytest.fixture
def october(toc_nurse, ward):
    """Six patients (today is 5 November 2025):
    A ready 5 Oct, discharged 5 Oct on pathway 0: 0 days.
    B ready 10 Oct, delayed waiting for a pathway 3 bed, discharged 12 Oct on pathway 3: 2 days.
    C ready 28 Sep, delayed waiting for a pathway 2 bed, discharged 3 Oct on pathway 2: 5 days.
    D ready 29 Oct, still in hospital.
    E never had a ready date, discharged 8 Oct on pathway 0.
    F ready 20 Oct, discharged 2 Nov (not an October discharge)."""
    def patient(admitted, ready=None, left=None, pathway=0, reason=None):
        made = factories.register_entry(actor=toc_nurse, ward_=ward, admitted_on=admitted, referred_on=admitted,
                                        fit_on=ready)
        if ready:
            review(made, toc_nurse, ready, since=ready)
        if reason:
            services.delay_record(entry=made, actor=toc_nurse, reason=factories.delay_reason(reason, "ddc"),
                                  attribution="nhs", starts_on=ready)
        if left:
            services.entry_discharge(entry=made, actor=toc_nurse, discharged_on=left, destination="Home",
                                     pathway_used=pathway, readmission_risk="low")
        return made

    oct = lambda day: date(2025, 10, day)  # noqa: E731
    patient(oct(1), oct(5), oct(5))
    patient(oct(1), oct(10), oct(12), pathway=3, reason="pathway-3")
    patient(date(2025, 9, 20), date(2025, 9, 28), oct(3), pathway=2, reason="pathway-2")
    patient(oct(15), oct(29))
    patient(oct(1), None, oct(8))
    patient(oct(1), oct(20), date(2025, 11, 2))


def test_october_by_the_national_definitions(october):
    figures = selectors.discharge_ready_figures(first=date(2025, 10, 1), last=date(2025, 10, 31), today=date(2025, 11, 5))

    assert (figures.all_discharges, figures.ready.discharges, figures.ready.on_ready_date) == (4, 3, 1)
    assert figures.ready.average_days == 2.3  # (0 + 2 + 5) / 3
    assert {band: n for band, n in figures.ready.bands.items() if n} == {"0 days": 1, "2-3 days": 1, "4-6 days": 1}
    # Patient-days past the ready date: B 2, C 2 (1-2 Oct), D 3 (29-31 Oct), F 12 (20-31 Oct) = 19 over 31 days.
    assert sum(day.not_meeting_criteria for day in figures.days) == 19
    assert figures.average_not_meeting_criteria == 0.6
    assert [(g.label, g.discharges, g.average_days) for g in figures.by_pathway] == [
        ("Pathway 0: home, no new support", 1, 0.0),
        ("Pathway 2: intermediate-care bed with rehabilitation", 1, 5.0),
        ("Pathway 3: discharge to assess with nursing needs", 1, 2.0),
    ]
    assert sorted((g.label, g.average_days) for g in figures.by_reason) == [
        ("No delay recorded", 0.0),
        ("Waiting for a pathway 2 bed (Discharge data collection (2023 on))", 5.0),
        ("Waiting for a pathway 3 care-home bed (Discharge data collection (2023 on))", 2.0),
    ]


def test_a_week_counts_only_its_own_days(october):
    first, last = selectors.week_bounds(date(2025, 10, 8))
    figures = selectors.discharge_ready_figures(first=first, last=last, today=date(2025, 11, 5))

    assert (first, last) == (date(2025, 10, 6), date(2025, 10, 12))
    assert (figures.all_discharges, figures.ready.discharges, figures.ready.average_days) == (2, 1, 2.0)
    assert [day.not_meeting_criteria for day in figures.days] == [0, 0, 0, 0, 1, 1, 0]  # B on 10 and 11 Oct


def test_the_monthly_csv_has_a_line_a_day_and_the_totals(client, manager, october):
    client.force_login(manager)

    response = client.get(reverse("discharge:sitrep_export"), {"month": "2025-10"})

    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="discharge-ready-2025-10.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0] == selectors.SITREP_COLUMNS
    assert len(rows) == 1 + 31 + 1
    by_day = {row[0]: row for row in rows[1:]}
    assert by_day["2025-10-12"][1:5] == ["0", "1", "1", "0"]  # B left 2 days after the ready date
    assert by_day["2025-10-12"][rows[0].index("Discharged 2-3 days after the ready date")] == "1"
    assert by_day["Total"][1:4] == ["0.6 a day", "4", "3"]
    assert by_day["Total"][-1] == "2.3"


def test_the_weekly_csv_starts_on_the_monday(client, manager, october):
    client.force_login(manager)

    response = client.get(reverse("discharge:sitrep_export"), {"week": "2025-10-08"})

    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert [row[0] for row in rows[1:]] == [f"2025-10-{day:02d}" for day in range(6, 13)] + ["Total"]
    assert 'filename="discharge-ready-week-2025-10-06.csv"' in response["Content-Disposition"]


def test_the_figures_page_shows_the_ready_date_measures_and_keeps_the_2017_rate(client, manager, october):
    client.force_login(manager)

    page = client.get(reverse("discharge:figures"), {"month": "2025-10"}).content.decode()

    assert "Patients no longer meeting the criteria to reside" in page
    assert "Delayed transfers of care (the 2017 return, for comparison)" in page
    assert "Delayed-transfer rate" in page


def test_the_figures_page_and_export_cost_a_fixed_number_of_queries(
    client, manager, toc_nurse, ward, october, django_assert_max_num_queries
):
    client.force_login(manager)
    with django_assert_max_num_queries(14):
        client.get(reverse("discharge:sitrep_export"), {"month": "2025-10"})
    for _ in range(5):
        factories.register_entry(actor=toc_nurse, ward_=ward, admitted_on=date(2025, 10, 2), fit_on=date(2025, 10, 3))
    with django_assert_max_num_queries(14):
        client.get(reverse("discharge:sitrep_export"), {"month": "2025-10"})

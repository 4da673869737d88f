"""Delays (reasons, attribution, sign-off) and the monthly delayed-transfer figures."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from ccc.exceptions import Conflict
from discharge import selectors, services
from discharge.models import Delay
from tests import factories


def entry_fit_on(user, ward, fit_on, admitted_on=None):
    return factories.register_entry(
        actor=user, ward_=ward, admitted_on=admitted_on or fit_on, referred_on=admitted_on or fit_on,
        fit_on=fit_on,
    )


def delay(entry, user, starts_on, code="G", code_set="dtoc", attribution="nhs"):
    return services.delay_record(
        entry=entry, actor=user, reason=factories.delay_reason(code, code_set), attribution=attribution,
        starts_on=starts_on,
    )


def discharge(entry, user, on):
    return services.entry_discharge(
        entry=entry, actor=user, discharged_on=on, destination="Home", pathway_used=0, readmission_risk="low"
    )


def test_both_national_reason_lists_are_loaded_with_their_code_set(db):
    from discharge.models import DelayReason

    dtoc = set(DelayReason.objects.filter(code_set="dtoc").values_list("code", flat=True))
    assert dtoc == {"A", "B", "C", "DI", "DII", "E", "F", "G", "H", "I", "O"}
    assert DelayReason.objects.filter(code_set="ddc").count() == 17
    assert set(DelayReason.objects.filter(is_patient_choice=True).values_list("code_set", "code")) == {
        ("dtoc", "G"), ("ddc", "disagrees")
    }


def test_a_new_delay_reason_ends_the_open_one_so_each_day_has_one_reason(toc_nurse, ward):
    entry = entry_fit_on(toc_nurse, ward, date(2025, 10, 1))
    first = delay(entry, toc_nurse, date(2025, 10, 1), code="E")
    second = delay(entry, toc_nurse, date(2025, 10, 6), code="G")
    first.refresh_from_db()
    assert first.ends_on == date(2025, 10, 6)
    assert second.ends_on is None
    with pytest.raises(ValidationError, match="current delay started"):
        delay(entry, toc_nurse, date(2025, 10, 5), code="A")


def test_a_delay_cannot_start_before_the_patient_was_fit(toc_nurse, ward):
    entry = entry_fit_on(toc_nurse, ward, date(2025, 10, 10), admitted_on=date(2025, 10, 1))
    with pytest.raises(ValidationError, match="medically fit"):
        delay(entry, toc_nurse, date(2025, 10, 9))


def test_delayed_days_are_split_across_months_at_midnight(toc_nurse, ward):
    entry = entry_fit_on(toc_nurse, ward, date(2025, 9, 28))
    delay(entry, toc_nurse, date(2025, 9, 28))
    discharge(entry, toc_nurse, date(2025, 10, 3))

    september = selectors.delayed_transfer_figures(year=2025, month=9, today=date(2025, 11, 1))
    october = selectors.delayed_transfer_figures(year=2025, month=10, today=date(2025, 11, 1))

    # Midnights of 28, 29, 30 September, then 1 and 2 October; the discharge day is not a bed day.
    assert (september.delayed_days, october.delayed_days) == (3, 2)


def test_delayed_days_across_the_october_clock_change_count_calendar_days(toc_nurse, ward):
    # Clocks went back on 26 October 2025: that day had 25 hours, but it is still one bed day.
    entry = entry_fit_on(toc_nurse, ward, date(2025, 10, 25))
    delay(entry, toc_nurse, date(2025, 10, 25))
    discharge(entry, toc_nurse, date(2025, 10, 28))

    assert selectors.delayed_transfer_figures(year=2025, month=10, today=date(2025, 11, 1)).delayed_days == 3


def test_an_open_delay_counts_to_today_in_london_not_in_utc(toc_nurse, ward, monkeypatch):
    entry = entry_fit_on(toc_nurse, ward, date(2025, 3, 28))
    delay(entry, toc_nurse, date(2025, 3, 28))
    # 23:30 UTC on 30 March 2025 is 00:30 on the 31st in London (BST began that morning at 01:00 UTC):
    # the midnights of the 28th, 29th and 30th have passed there, only two by the UTC date.
    monkeypatch.setattr("django.utils.timezone.now", lambda: datetime(2025, 3, 30, 23, 30, tzinfo=UTC))

    assert selectors.delayed_transfer_figures(year=2025, month=3).delayed_days == 3


def test_the_monthly_rate_on_a_hand_computed_example(toc_nurse, toc_social_worker, ward):
    other_ward = factories.ward(code="ward-9", organisation=ward.organisation)
    # Entry 1: A (social care) from 28 September, discharged 3 October: 2 October days.
    one = entry_fit_on(toc_nurse, ward, date(2025, 9, 28))
    delay(one, toc_nurse, date(2025, 9, 28), code="A", attribution="social_care")
    discharge(one, toc_nurse, date(2025, 10, 3))
    # Entry 2: E (social care) 10-20 October = 10 days, then G (NHS) 20-25 October = 5 days.
    two = entry_fit_on(toc_nurse, ward, date(2025, 10, 10))
    delay(two, toc_nurse, date(2025, 10, 10), code="E", attribution="social_care")
    delay(two, toc_nurse, date(2025, 10, 20), code="G", attribution="nhs")
    discharge(two, toc_nurse, date(2025, 10, 25))
    # Entry 3: DII (both) from 28 October, still delayed on 5 November: 28, 29, 30, 31 = 4 days.
    three = entry_fit_on(toc_nurse, other_ward, date(2025, 10, 28))
    delay(three, toc_nurse, date(2025, 10, 28), code="DII", attribution="both")
    # Entry 4: delayed in November only: not October's.
    four = entry_fit_on(toc_nurse, other_ward, date(2025, 11, 2))
    delay(four, toc_nurse, date(2025, 11, 2))
    # Occupied beds: 10 a day on one ward and 5 a day on the other, all 31 days = 465 bed days.
    for day in range(1, 32):
        services.occupancy_record(ward=ward, on=date(2025, 10, day), occupied_beds=10, actor=toc_nurse)
        services.occupancy_record(ward=other_ward, on=date(2025, 10, day), occupied_beds=5, actor=toc_nurse)
    services.occupancy_record(ward=ward, on=date(2025, 11, 1), occupied_beds=99, actor=toc_nurse)

    figures = selectors.delayed_transfer_figures(year=2025, month=10, today=date(2025, 11, 5))

    assert figures.delayed_days == 2 + 10 + 5 + 4
    assert figures.occupied_bed_days == 465
    assert str(figures.rate_percent) == "4.52"  # 21 / 465 = 4.516%
    assert figures.within_target is False  # against 3.5%
    assert figures.by_attribution == [
        {"attribution": "both", "label": "Both", "delayed_days": 4},
        {"attribution": "nhs", "label": "NHS", "delayed_days": 5},
        {"attribution": "social_care", "label": "Social care", "delayed_days": 12},
    ]
    assert [(row["code"], row["delayed_days"]) for row in figures.by_reason] == [
        ("E", 10), ("G", 5), ("DII", 4), ("A", 2)
    ]


def test_a_month_without_occupancy_figures_has_no_rate(db):
    figures = selectors.delayed_transfer_figures(year=2025, month=10, today=date(2025, 11, 5))
    assert (figures.delayed_days, figures.occupied_bed_days, figures.rate_percent) == (0, 0, None)


def test_a_social_care_delay_is_agreed_when_the_social_care_partner_signs(toc_nurse, toc_social_worker, ward):
    entry = entry_fit_on(toc_nurse, ward, date(2025, 10, 1))
    care_package = delay(entry, toc_nurse, date(2025, 10, 1), code="E", attribution="social_care")

    with pytest.raises(ValidationError, match="not signed off by acute"):
        services.delay_sign_off(delay=care_package, actor=toc_nurse, partner="acute")
    with pytest.raises(ValidationError, match="Only staff of the social care partner"):
        services.delay_sign_off(delay=care_package, actor=toc_nurse, partner="social_care")

    services.delay_sign_off(delay=care_package, actor=toc_social_worker, partner="social_care")

    care_package.refresh_from_db()
    assert care_package.agreed_at is not None
    with pytest.raises(Conflict, match="already signed"):
        services.delay_sign_off(delay=care_package, actor=toc_social_worker, partner="social_care")


def test_a_delay_attributed_to_both_needs_an_nhs_and_a_social_care_signature(toc_nurse, toc_social_worker, ward):
    entry = entry_fit_on(toc_nurse, ward, date(2025, 10, 1))
    shared = delay(entry, toc_nurse, date(2025, 10, 1), code="H", attribution="both")

    services.delay_sign_off(delay=shared, actor=toc_nurse, partner="acute")
    assert Delay.objects.get(pk=shared.pk).agreed_at is None

    services.delay_sign_off(delay=shared, actor=toc_social_worker, partner="social_care")
    assert Delay.objects.get(pk=shared.pk).agreed_at is not None
    assert shared.sign_offs.count() == 2

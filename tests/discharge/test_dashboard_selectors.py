"""The figures a managers' dashboard will read: computed by the database, right in each case."""

from datetime import date, timedelta

from django.utils import timezone

from discharge import selectors, services
from tests import factories


def test_mffd_today_by_pathway_counts_only_fit_patients_in_hospital(toc_nurse, ward):
    today = timezone.localdate()
    for pathway in (1, 1, 2, None):
        entry = factories.register_entry(actor=toc_nurse, ward_=ward)
        if pathway is not None:
            services.pathway_set(entry=entry, actor=toc_nurse, pathway=pathway)
    factories.register_entry(actor=toc_nurse, ward_=ward, fit_on=None)  # not yet fit
    gone = factories.register_entry(actor=toc_nurse, ward_=ward)
    services.entry_discharge(
        entry=gone, actor=toc_nurse, discharged_on=today, destination="Home", pathway_used=0, readmission_risk="low"
    )

    assert selectors.mffd_by_pathway() == {None: 1, 1: 2, 2: 1}


def test_stranded_counts_at_7_and_21_days(toc_nurse, ward):
    today = timezone.localdate()
    for days in (6, 7, 20, 21):
        factories.register_entry(actor=toc_nurse, ward_=ward, admitted_on=today - timedelta(days=days))

    assert selectors.stranded_counts() == {"stranded": 3, "super_stranded": 1}


def test_bed_occupancy_by_ward_sums_the_month(toc_nurse, ward):
    other = factories.ward(code="ward-9", name="Ward 9", organisation=ward.organisation)
    for day, beds in ((1, 20), (2, 22), (31, 25)):
        services.occupancy_record(ward=ward, on=date(2025, 10, day), occupied_beds=beds, actor=toc_nurse)
    services.occupancy_record(ward=other, on=date(2025, 10, 5), occupied_beds=9, actor=toc_nurse)
    services.occupancy_record(ward=other, on=date(2025, 11, 1), occupied_beds=9, actor=toc_nurse)

    rows = list(selectors.bed_occupancy_by_ward(year=2025, month=10))

    assert [(r["ward__code"], r["occupied_bed_days"], r["days_recorded"]) for r in rows] == [
        ("ward-7", 67, 3), ("ward-9", 9, 1)
    ]


def test_ending_a_delay_makes_the_patient_workable_again(toc_nurse, entry):
    delay = services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason("F"), attribution="nhs", starts_on=entry.fit_on
    )
    services.delay_end(delay=delay, actor=toc_nurse, ends_on=timezone.localdate())

    assert list(selectors.board(fetched_by=toc_nurse, workable="yes")) == [entry]

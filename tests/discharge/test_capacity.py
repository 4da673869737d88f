"""Beds and slots: today's counts, reserving, releasing, and the race for the last bed."""

import pytest
from django.utils import timezone

from ccc.exceptions import Conflict
from discharge import selectors, services
from discharge.models import CapacityBooking
from tests import factories
from tests.concurrency import at_once


def on_pathway(user, ward, pathway):
    entry = factories.register_entry(actor=user, ward_=ward)
    services.pathway_set(entry=entry, actor=user, pathway=pathway)
    return entry


def test_today_counts_occupied_reserved_and_free(toc_nurse, ward):
    beds = factories.pathway_service(name="Beds", pathway=2, capacity=5, occupied_by_others=1)
    reserved = on_pathway(toc_nurse, ward, 2)
    discharged_in = on_pathway(toc_nurse, ward, 2)
    services.booking_reserve(entry=reserved, service=beds, actor=toc_nurse)
    services.booking_reserve(entry=discharged_in, service=beds, actor=toc_nurse)
    services.entry_discharge(
        entry=discharged_in, actor=toc_nurse, discharged_on=timezone.localdate(), destination="Beds",
        pathway_used=2, readmission_risk="low",
    )

    row = selectors.capacity_today().get(pk=beds.pk)

    assert (row.capacity, row.occupied, row.reserved, row.free) == (5, 2, 1, 2)


def test_a_full_service_refuses_a_reservation_and_a_release_frees_the_bed(toc_nurse, ward):
    beds = factories.pathway_service(name="Beds", pathway=2, capacity=1)
    first, second = on_pathway(toc_nurse, ward, 2), on_pathway(toc_nurse, ward, 2)
    booking = services.booking_reserve(entry=first, service=beds, actor=toc_nurse)

    with pytest.raises(Conflict, match="no free beds"):
        services.booking_reserve(entry=second, service=beds, actor=toc_nurse)

    services.booking_release(booking=booking, actor=toc_nurse)
    assert services.booking_reserve(entry=second, service=beds, actor=toc_nurse).status == "reserved"


def test_unmet_demand_counts_patients_waiting_beyond_the_free_places(toc_nurse, ward):
    factories.pathway_service(name="Beds", pathway=2, capacity=1)
    for _ in range(3):
        on_pathway(toc_nurse, ward, 2)
    on_pathway(toc_nurse, ward, 3)  # pathway 3 has no service at all

    demand = {row.pathway: (row.waiting, row.free, row.unmet) for row in selectors.unmet_demand()}

    assert demand == {1: (0, 0, 0), 2: (3, 1, 2), 3: (1, 0, 1)}


@pytest.mark.django_db(transaction=True)
def test_two_nurses_cannot_both_take_the_last_bed(acute_trust):
    nurse_a = factories.user("toc", organisation=acute_trust)
    nurse_b = factories.user("toc", organisation=acute_trust)
    ward = factories.ward(organisation=acute_trust)
    beds = factories.pathway_service(name="Beds", pathway=2, capacity=1)
    first, second = on_pathway(nurse_a, ward, 2), on_pathway(nurse_b, ward, 2)

    outcomes = at_once(
        lambda: services.booking_reserve(entry=first, service=beds, actor=nurse_a),
        lambda: services.booking_reserve(entry=second, service=beds, actor=nurse_b),
    )

    won = [o for o in outcomes if isinstance(o, CapacityBooking)]
    lost = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(won) == 1 and len(lost) == 1, outcomes
    assert "no free beds" in str(lost[0])
    assert CapacityBooking.objects.filter(service=beds, status="reserved").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_reserve_holds_one_bed(acute_trust):
    nurse = factories.user("toc", organisation=acute_trust)
    ward = factories.ward(organisation=acute_trust)
    beds = factories.pathway_service(name="Beds", pathway=2, capacity=5)
    entry = on_pathway(nurse, ward, 2)

    outcomes = at_once(*[lambda: services.booking_reserve(entry=entry, service=beds, actor=nurse)] * 2)

    assert sum(isinstance(o, CapacityBooking) for o in outcomes) == 1, outcomes
    assert CapacityBooking.objects.filter(entry=entry).count() == 1

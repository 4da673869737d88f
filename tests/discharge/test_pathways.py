"""Registering MFFD patients, pathway rules, trusted assessment and discharge."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.exceptions import Conflict
from discharge import services
from discharge.models import CapacityBooking, Pathway, RegisterEntry, TransferOfCareSettings
from tests import factories


def test_registering_starts_the_plan_clock_from_the_day_declared_fit_by_the_administrators_target(toc_nurse, ward):
    settings = TransferOfCareSettings.current()
    settings.plan_target_hours = 48
    settings.save()
    fit_on = timezone.localdate() - timedelta(days=1)

    entry = factories.register_entry(actor=toc_nurse, ward_=ward, fit_on=fit_on)

    local_due = timezone.localtime(entry.plan_due_at)
    assert (local_due.date(), local_due.hour) == (fit_on + timedelta(days=2), 0)
    assert entry.plan_set_at is None


def test_the_plan_clock_across_the_october_clock_change_is_48_real_hours(toc_nurse, ward):
    # 25 October 2026 the clocks go back: 48 hours from local midnight of the 24th is 23:00 on the 25th.
    settings = TransferOfCareSettings.current()
    settings.plan_target_hours = 48
    settings.save()
    assert services.plan_due_at(timezone.datetime(2026, 10, 24).date()).isoformat() == "2026-10-25T23:00:00+00:00"


def test_a_patient_not_yet_fit_has_no_plan_clock(toc_nurse, ward):
    entry = factories.register_entry(actor=toc_nurse, ward_=ward, fit_on=None)
    assert entry.plan_due_at is None


def test_a_repeated_registration_makes_one_entry(toc_nurse, ward):
    patient = factories.patient()
    first = factories.register_entry(actor=toc_nurse, ward_=ward, patient_=patient, idempotency_key="k1")
    again = factories.register_entry(actor=toc_nurse, ward_=ward, patient_=patient, idempotency_key="k1")
    assert again == first
    assert RegisterEntry.objects.count() == 1


def test_a_patient_cannot_be_on_the_register_twice_while_in_hospital(toc_nurse, ward):
    patient = factories.patient()
    factories.register_entry(actor=toc_nurse, ward_=ward, patient_=patient)
    with pytest.raises(ValidationError, match="already on the register"):
        factories.register_entry(actor=toc_nurse, ward_=ward, patient_=patient)


def test_fit_date_before_admission_is_refused(toc_nurse, ward):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as error:
        factories.register_entry(actor=toc_nurse, ward_=ward, admitted_on=today, fit_on=today - timedelta(days=1))
    assert "fit_on" in error.value.message_dict


def test_register_reuses_a_patient_the_ccc_knows_by_nhs_number(toc_nurse):
    known = factories.patient(nhs_number="9990000018")
    found = services.patient_for_register(
        actor=toc_nurse, nhs_number="9990000018", given_name=known.given_name, family_name=known.family_name,
        date_of_birth=known.date_of_birth,
    )
    assert found == known


def test_register_stops_on_a_known_nhs_number_with_another_name_until_confirmed(toc_nurse):
    from referrals.services import PatientIdentityMismatch

    known = factories.patient(nhs_number="9990000018")
    with pytest.raises(PatientIdentityMismatch):
        services.patient_for_register(
            actor=toc_nurse, nhs_number="9990000018", given_name="X", family_name="Y", date_of_birth=known.date_of_birth
        )
    found = services.patient_for_register(
        actor=toc_nurse, nhs_number="9990000018", given_name="X", family_name="Y", date_of_birth=known.date_of_birth,
        confirmed_same_person=True,
    )
    assert found == known


def test_first_pathway_stops_the_plan_clock_and_changes_need_a_reason_and_keep_history(entry, toc_nurse):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=Pathway.HOME_WITH_SUPPORT)
    entry.refresh_from_db()
    stopped_at = entry.plan_set_at
    assert stopped_at is not None

    with pytest.raises(ValidationError, match="reason"):
        services.pathway_set(entry=entry, actor=toc_nurse, pathway=Pathway.INTERMEDIATE_CARE_BED)

    services.pathway_set(
        entry=entry, actor=toc_nurse, pathway=Pathway.INTERMEDIATE_CARE_BED, reason="Needs rehabilitation in a bed"
    )
    entry.refresh_from_db()
    assert entry.pathway == 2
    assert entry.plan_set_at == stopped_at  # the clock stopped once, at the first plan
    changes = list(entry.pathway_changes.values_list("from_pathway", "to_pathway", "reason", "changed_by"))
    assert changes == [
        (None, 1, "Plan agreed", toc_nurse.pk),
        (1, 2, "Needs rehabilitation in a bed", toc_nurse.pk),
    ]
    assert [h.pathway for h in entry.history.order_by("history_date")][-2:] == [1, 2]


def test_setting_the_same_pathway_again_is_refused(entry, toc_nurse):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=0)
    with pytest.raises(ValidationError, match="already on"):
        services.pathway_set(entry=entry, actor=toc_nurse, pathway=0, reason="again")


def test_changing_pathway_releases_the_bed_held_on_the_old_one(entry, toc_nurse, intermediate_care):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=2)
    booking = services.booking_reserve(entry=entry, service=intermediate_care, actor=toc_nurse)

    services.pathway_set(entry=entry, actor=toc_nurse, pathway=0, reason="Family will care for her at home")

    booking.refresh_from_db()
    assert booking.status == CapacityBooking.Status.RELEASED


def test_a_bed_can_only_be_reserved_on_the_patients_pathway(entry, toc_nurse, intermediate_care):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=3)
    with pytest.raises(ValidationError, match="pathway"):
        services.booking_reserve(entry=entry, service=intermediate_care, actor=toc_nurse)


def test_a_trusted_assessment_is_recorded_once_and_accepted_by_the_receiving_service(
    entry, toc_nurse, council, intermediate_care
):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=2)
    assessment = services.trusted_assessment_record(
        entry=entry,
        actor=toc_nurse,
        assessor_name="Jo Baker, social worker",
        assessor_organisation=council,
        assessed_on=timezone.localdate(),
        summary="Mobilises with frame; needs rehabilitation",
    )
    with pytest.raises(Conflict, match="already recorded"):
        services.trusted_assessment_record(
            entry=entry, actor=toc_nurse, assessor_name="B", assessor_organisation=council,
            assessed_on=timezone.localdate(), summary="again",
        )

    accepted = services.trusted_assessment_accept(assessment=assessment, actor=toc_nurse, service=intermediate_care)

    assert accepted.accepted_by_service == intermediate_care
    with pytest.raises(Conflict, match="Already accepted"):
        services.trusted_assessment_accept(assessment=assessment, actor=toc_nurse, service=intermediate_care)


def test_discharge_on_pathway_1_with_high_risk_owes_an_irr_handover_and_follow_up_calls(entry, toc_nurse, irr_for_pathway_1):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=1)
    discharged = services.entry_discharge(
        entry=entry,
        actor=toc_nurse,
        discharged_on=timezone.localdate(),
        destination="Home",
        pathway_used=1,
        readmission_risk="high",
    )
    assert discharged.status == RegisterEntry.Status.DISCHARGED
    assert discharged.irr_handover_needed and discharged.follow_up_calls_needed


def test_discharge_on_pathway_0_with_low_risk_owes_nothing(entry, toc_nurse):
    discharged = services.entry_discharge(
        entry=entry, actor=toc_nurse, discharged_on=timezone.localdate(), destination="Home",
        pathway_used=0, readmission_risk="low",
    )
    assert not discharged.irr_handover_needed and not discharged.follow_up_calls_needed
    with pytest.raises(Conflict, match="already been discharged"):
        services.pathway_set(entry=entry, actor=toc_nurse, pathway=1, reason="late")


def test_discharge_turns_the_reserved_bed_into_an_occupied_one_and_ends_the_delay(entry, toc_nurse, intermediate_care):
    services.pathway_set(entry=entry, actor=toc_nurse, pathway=2)
    booking = services.booking_reserve(entry=entry, service=intermediate_care, actor=toc_nurse)
    delay = services.delay_record(
        entry=entry, actor=toc_nurse, reason=factories.delay_reason("pathway-2", "ddc"), attribution="nhs",
        starts_on=entry.fit_on,
    )
    today = timezone.localdate()

    services.entry_discharge(
        entry=entry, actor=toc_nurse, discharged_on=today, destination="Oakwood intermediate care unit",
        pathway_used=2, readmission_risk="medium",
    )

    booking.refresh_from_db()
    delay.refresh_from_db()
    assert booking.status == CapacityBooking.Status.OCCUPIED
    assert delay.ends_on == today

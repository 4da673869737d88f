"""Hazard "wrong patient merged": an administrator merges a duplicate record into the one kept;
every record moves with history, the duplicate is marked (not deleted), and unmerging is exact."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ccc.exceptions import Conflict
from referrals import services
from referrals.models import Patient, PatientMerge, Referral, SafetyAlert
from referrals.services.patient_merge import _patient_foreign_keys
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(falls, call_handler, irr_clinician, toc_nurse, ward):
    """The kept record with one referral of its own; the duplicate with something of every kind."""
    kept = factories.patient(given_name="Edith", family_name="Crawley", date_of_birth=date(1938, 5, 2),
                             nhs_number="9990000018")
    duplicate = factories.patient(given_name="Edith", family_name="Crawley", date_of_birth=date(1938, 5, 2))
    own = factories.referral(need=falls, actor=call_handler, patient_=kept)
    moved = {
        "referral": factories.referral(need=falls, actor=call_handler, patient_=duplicate),
        "call": factories.follow_up_call(patient_=duplicate, actor=call_handler),
        "alert": factories.safety_alert(patient_=duplicate, actor=call_handler),
        "phone": factories.patient_phone(patient_=duplicate, actor=call_handler),
        "entry": factories.register_entry(actor=toc_nurse, ward_=ward, patient_=duplicate),
        "contact": factories.contact(actor=call_handler, patient=duplicate),
    }
    moved["episode"] = factories.episode(decision=factories.triaged(referral_=moved["referral"], clinician=irr_clinician),
                                         lead=irr_clinician)
    return kept, duplicate, own, moved


def owners(moved: dict) -> dict:
    return {name: type(row).objects.get(pk=row.pk).patient_id for name, row in moved.items()}


def test_merge_moves_every_record_with_history_and_marks_the_duplicate(pair, administrator):
    kept, duplicate, own, moved = pair

    merge = services.patient_merge(actor=administrator, kept=kept, duplicate=duplicate, reason="Same person, no NHS number")

    assert set(owners(moved).values()) == {kept.pk}
    duplicate.refresh_from_db()
    assert duplicate.merged_into == kept  # marked, not deleted
    assert Patient.objects.filter(pk=duplicate.pk).exists()
    referral = Referral.objects.get(pk=moved["referral"].pk)
    assert referral.history.first().history_user == administrator
    assert referral.history.first().patient_id == kept.pk
    assert {entry["model"] for entry in merge.moved} >= {
        "referrals.referral", "referrals.followupcall", "referrals.safetyalert", "referrals.patientphone",
        "discharge.registerentry", "referrals.contact", "irr.episode",
    }


def test_unmerge_puts_back_exactly_what_moved_and_leaves_the_kept_records_alone(pair, administrator):
    kept, duplicate, own, moved = pair
    merge = services.patient_merge(actor=administrator, kept=kept, duplicate=duplicate, reason="Same person")

    services.patient_unmerge(actor=administrator, merge=merge)

    assert set(owners(moved).values()) == {duplicate.pk}
    assert Referral.objects.get(pk=own.pk).patient_id == kept.pk
    duplicate.refresh_from_db()
    merge.refresh_from_db()
    assert duplicate.merged_into is None and merge.unmerged_by == administrator
    # Each moved row's history shows it going and coming back.
    assert [row.patient_id for row in Referral.objects.get(pk=moved["referral"].pk).history.order_by("history_date")][-2:] == [
        kept.pk, duplicate.pk,
    ]
    with pytest.raises(Conflict):
        services.patient_unmerge(actor=administrator, merge=merge)


def test_the_merge_asks_django_for_every_foreign_key_to_a_patient():
    names = {(field.model._meta.label_lower, field.name) for field in _patient_foreign_keys()}
    assert {("referrals.referral", "patient"), ("discharge.registerentry", "patient"), ("irr.episode", "patient"),
            ("referrals.safetyalert", "patient"), ("referrals.contact", "patient")} <= names
    assert not any(label.split(".")[1].startswith("historical") for label, _ in names)
    assert ("referrals.patientmerge", "kept") not in names


def test_records_with_different_nhs_numbers_are_not_merged(administrator):
    kept = factories.patient(nhs_number="9990000018")
    other = factories.patient(nhs_number="9990000026")
    with pytest.raises(ValidationError, match="different NHS numbers"):
        services.patient_merge(actor=administrator, kept=kept, duplicate=other, reason="Looks the same")
    assert not PatientMerge.objects.exists()


def test_only_an_administrator_may_merge(call_handler, manager):
    kept, duplicate = factories.patient(), factories.patient()
    for person in (call_handler, manager):
        with pytest.raises(PermissionDenied):
            services.patient_merge(actor=person, kept=kept, duplicate=duplicate, reason="Same")
    assert Patient.objects.filter(merged_into__isnull=False).count() == 0


def test_a_merged_record_cannot_be_merged_again(administrator):
    kept, duplicate, third = factories.patient(), factories.patient(), factories.patient()
    services.patient_merge(actor=administrator, kept=kept, duplicate=duplicate, reason="Same")
    with pytest.raises(Conflict):
        services.patient_merge(actor=administrator, kept=third, duplicate=duplicate, reason="Same")


def test_the_merge_page_merges_and_undoes(client, administrator, call_handler):
    kept, duplicate = factories.patient(), factories.patient()
    alert = factories.safety_alert(patient_=duplicate, actor=call_handler)
    client.force_login(administrator)
    url = reverse("referrals:patient_merge", args=[kept.public_id])

    refused = client.post(url, {"duplicate": duplicate.public_id, "reason": "Same person"})
    assert "This field is required" in refused.content.decode() or "required" in refused.content.decode()
    assert SafetyAlert.objects.get(pk=alert.pk).patient == duplicate

    response = client.post(url, {"duplicate": duplicate.public_id, "reason": "Same person", "confirmed": "on"})
    assert response.status_code == 302
    assert SafetyAlert.objects.get(pk=alert.pk).patient == kept

    merge = PatientMerge.objects.get()
    response = client.post(reverse("referrals:patient_unmerge", args=[merge.public_id]))
    assert response.status_code == 302
    assert SafetyAlert.objects.get(pk=alert.pk).patient == duplicate


def test_the_merge_page_refuses_a_call_handler(client, call_handler):
    kept = factories.patient()
    client.force_login(call_handler)
    assert client.get(reverse("referrals:patient_merge", args=[kept.public_id])).status_code == 403



def test_a_merged_duplicate_is_no_longer_found_at_the_front_desk(administrator):
    from referrals import selectors

    kept = factories.patient(given_name="Edith", family_name="Crawley", postcode="NF1 2AB")
    duplicate = factories.patient(given_name="Edith", family_name="Crawley", postcode="NF1 2AB")
    services.patient_merge(actor=administrator, kept=kept, duplicate=duplicate, reason="Same person")

    assert list(selectors.patient_find(name="Edith Crawley")) == [kept]
    assert list(selectors.patient_find(postcode="NF1 2AB")) == [kept]

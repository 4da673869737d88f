"""A patient's phones, next of kin and carers, communication needs and safety alerts: the services' rules."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.exceptions import Conflict
from referrals import services
from referrals.models import PatientPhone, SafetyAlert
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_first_number_is_the_one_to_call_first_and_a_new_call_first_number_takes_over(call_handler):
    patient = factories.patient()
    home = services.patient_phone_add(actor=call_handler, patient=patient, number="0113 496 0000", kind="home")
    mobile = services.patient_phone_add(actor=call_handler, patient=patient, number="07911 123456", call_first=True)

    home.refresh_from_db()
    assert (home.call_first, mobile.call_first) == (False, True)
    assert mobile.number == "+447911123456"
    assert patient.phones.get(call_first=True) == mobile


def test_removing_the_number_to_call_first_keeps_it_on_record_and_promotes_the_next(call_handler):
    patient = factories.patient()
    first = factories.patient_phone(patient_=patient, actor=call_handler)
    second = factories.patient_phone(patient_=patient, actor=call_handler, number="07911 123456")

    services.patient_phone_end(actor=call_handler, phone=first)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.ended_at is not None and PatientPhone.objects.filter(pk=first.pk).exists()
    assert second.call_first
    with pytest.raises(Conflict):
        services.patient_phone_end(actor=call_handler, phone=first)


@pytest.mark.parametrize("number", ["0113 496", "not a number", "0800 00"])
def test_a_wrong_phone_number_is_refused_on_its_field(call_handler, number):
    with pytest.raises(ValidationError) as error:
        services.patient_phone_add(actor=call_handler, patient=factories.patient(), number=number)
    assert "number" in error.value.message_dict
    assert not PatientPhone.objects.exists()


def test_the_same_number_twice_is_refused(call_handler):
    patient = factories.patient()
    factories.patient_phone(patient_=patient, actor=call_handler, number="0113 496 0000")
    with pytest.raises(ValidationError, match="already recorded"):
        services.patient_phone_add(actor=call_handler, patient=patient, number="+44 113 496 0000")


def test_next_of_kin_or_carer_must_be_said_and_their_phone_is_checked(call_handler):
    patient = factories.patient()
    with pytest.raises(ValidationError) as error:
        services.patient_support_person_add(actor=call_handler, patient=patient, name="Ann")
    assert "is_next_of_kin" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.patient_support_person_add(actor=call_handler, patient=patient, name="Ann", is_carer=True, phone="12")
    assert "phone" in error.value.message_dict

    person = services.patient_support_person_add(
        actor=call_handler, patient=patient, name="Ann Smith", relationship="daughter", phone="07911 123456",
        is_next_of_kin=True, is_carer=True,
    )
    assert person.roles_display == "Next of kin and Carer"
    assert person.history.get().history_user == call_handler


def test_communication_needs_are_saved_with_history_and_an_interpreter_needs_a_language(call_handler):
    patient = factories.patient()
    with pytest.raises(ValidationError) as error:
        services.patient_details_update(actor=call_handler, patient=patient, interpreter_needed=True)
    assert "preferred_language" in error.value.message_dict

    services.patient_details_update(
        actor=call_handler, patient=patient, preferred_language="Polish", interpreter_needed=True,
        communication_needs=["large_print", "hearing_loop"], is_carer=True,
    )

    patient.refresh_from_db()
    assert patient.communication_needs_display == ["Hearing loop", "Large print"]
    assert patient.is_carer and patient.history.first().history_user == call_handler


def test_an_unknown_communication_need_is_refused(call_handler):
    with pytest.raises(ValidationError):
        services.patient_details_update(actor=call_handler, patient=factories.patient(), communication_needs=["telepathy"])


def test_a_safety_alert_names_who_raised_it_and_needs_a_review_date_after_today(clinician):
    patient = factories.patient()
    with pytest.raises(ValidationError) as error:
        services.safety_alert_raise(actor=clinician, patient=patient, category="animals", detail="Dog",
                                    review_on=timezone.localdate())
    assert "review_on" in error.value.message_dict

    alert = factories.safety_alert(patient_=patient, actor=clinician)

    assert alert.raised_by == clinician
    assert list(patient.active_alerts()) == [alert]
    assert patient.has_active_alert(SafetyAlert.Category.RISK_TO_STAFF)


def test_an_ended_alert_stays_on_record_with_who_ended_it_and_why(call_handler, clinician):
    patient = factories.patient()
    alert = factories.safety_alert(patient_=patient, actor=call_handler)
    with pytest.raises(ValidationError):
        services.safety_alert_end(actor=clinician, alert=alert, reason=" ")

    services.safety_alert_end(actor=clinician, alert=alert, reason="Son moved out")

    alert.refresh_from_db()
    assert (alert.ended_by, alert.end_reason) == (clinician, "Son moved out")
    assert not patient.has_active_alert(SafetyAlert.Category.RISK_TO_STAFF)
    assert [row.history_user for row in alert.history.order_by("history_date")] == [call_handler, clinician]
    with pytest.raises(Conflict, match="already ended"):
        services.safety_alert_end(actor=call_handler, alert=alert, reason="Again")


@pytest.mark.parametrize("born", [date(1850, 1, 1), timezone.localdate().replace(year=timezone.localdate().year - 121)])
def test_a_date_of_birth_over_120_years_ago_is_refused_with_a_clear_message(call_handler, born):
    with pytest.raises(ValidationError) as error:
        services.patient_create(actor=call_handler, given_name="Ada", family_name="Old", date_of_birth=born)
    assert "over 120" in str(error.value.message_dict["date_of_birth"])


def test_a_date_of_birth_in_the_future_is_refused(call_handler):
    with pytest.raises(ValidationError) as error:
        services.patient_create(actor=call_handler, given_name="Ada", family_name="Soon",
                                date_of_birth=timezone.localdate() + timedelta(days=1))
    assert "today or in the past" in str(error.value.message_dict["date_of_birth"])


def test_someone_aged_120_is_still_accepted(call_handler):
    today = timezone.localdate()
    born = today.replace(year=today.year - 120) if not (today.month == 2 and today.day == 29) else date(today.year - 120, 3, 1)
    assert services.patient_create(actor=call_handler, given_name="Ada", family_name="Elder", date_of_birth=born).pk

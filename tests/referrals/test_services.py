import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.exceptions import Conflict
from referrals import services
from referrals.models import Patient, Referral, TimelineEvent
from tests import factories
from tests.concurrency import at_once


def make_referral(call_handler, need, patient, key=None, **kwargs):
    return services.referral_create(
        actor=call_handler,
        idempotency_key=key or uuid.uuid4().hex,
        patient=patient,
        need=need,
        referrer_type=Referral.ReferrerType.GP,
        referrer_name="Dr Patel",
        reason="Two falls this week",
        **kwargs,
    )


def test_it_routes_a_referral_to_the_queue_its_rule_names(call_handler, falls, crisis, physical_queue, mental_queue):
    patient = factories.patient()
    physical, created = make_referral(call_handler, falls, patient)
    mental, _ = make_referral(call_handler, crisis, patient)

    assert created
    assert physical.queue_item.queue == physical_queue
    assert mental.queue_item.queue == mental_queue
    assert physical.queue_item.status == "waiting"


def test_it_sets_the_due_time_from_the_queue_target(call_handler, falls):
    received = timezone.now() - timedelta(minutes=30)
    referral, _ = make_referral(call_handler, falls, factories.patient(), received_at=received)

    assert referral.queue_item.due_at == received + timedelta(minutes=120)


def test_a_switched_off_queue_sends_referrals_to_the_rules_fallback(call_handler, physical_queue):
    social_care = factories.duty_queue(code="social-care", name="Social care duty queue", is_active=False)
    need = factories.need(queue=social_care, fallback=physical_queue, name="Care package breakdown")

    referral, _ = make_referral(call_handler, need, factories.patient())

    assert referral.queue_item.queue == physical_queue
    routed = referral.timeline.get(kind=TimelineEvent.Kind.ROUTED)
    assert "Social care duty queue is switched off" in routed.summary


def test_switching_a_queue_back_on_routes_to_it_again(call_handler, physical_queue):
    social_care = factories.duty_queue(code="social-care", is_active=False)
    need = factories.need(queue=social_care, fallback=physical_queue)
    before, _ = make_referral(call_handler, need, factories.patient())

    social_care.is_active = True
    social_care.save()
    after, _ = make_referral(call_handler, need, factories.patient())

    assert after.queue_item.queue == social_care
    before.queue_item.refresh_from_db()
    assert before.queue_item.queue == physical_queue  # already routed: it stays where it went


def test_it_refuses_a_need_with_no_rule_and_saves_nothing(call_handler):
    unrouted = factories.need(name="Podiatry")

    with pytest.raises(ValidationError) as error:
        make_referral(call_handler, unrouted, factories.patient())

    assert "No duty queue takes" in error.value.message_dict["need"][0]
    assert Referral.objects.count() == 0


def test_it_refuses_a_need_that_no_longer_takes_referrals_whoever_calls_it(call_handler, falls):
    falls.is_active = False
    falls.save()

    with pytest.raises(ValidationError, match="no longer takes new referrals"):
        make_referral(call_handler, falls, factories.patient())
    assert not Referral.objects.exists()


def test_it_refuses_when_queue_and_fallback_are_both_off(call_handler):
    off = factories.duty_queue(is_active=False)
    also_off = factories.duty_queue(is_active=False)
    need = factories.need(queue=off, fallback=also_off)

    with pytest.raises(ValidationError) as error:
        make_referral(call_handler, need, factories.patient())

    assert "switched off" in error.value.message_dict["need"][0]
    assert Referral.objects.count() == 0


def test_the_same_submission_twice_makes_one_referral(call_handler, falls):
    patient = factories.patient()
    first, created_first = make_referral(call_handler, falls, patient, key="form-token-1")
    second, created_second = make_referral(call_handler, falls, patient, key="form-token-1")

    assert (created_first, created_second) == (True, False)
    assert first == second
    assert Referral.objects.count() == 1


def test_another_users_key_is_a_conflict_not_their_referral(call_handler, falls):
    make_referral(call_handler, falls, factories.patient(), key="shared-key")
    someone_else = factories.user()

    with pytest.raises(Conflict):
        make_referral(someone_else, falls, factories.patient(), key="shared-key")


def test_it_refuses_a_person_under_18_on_the_day_of_referral(call_handler, falls):
    today = timezone.localdate()
    # Created as an adult, but the referral is dated before their 18th birthday.
    patient = factories.patient(date_of_birth=today.replace(year=today.year - 18))
    received = timezone.now() - timedelta(days=2)

    with pytest.raises(ValidationError) as error:
        make_referral(call_handler, falls, patient, received_at=received)

    assert "children's services" in error.value.message_dict["patient"][0]


def test_it_records_received_and_routed_on_the_timeline_with_who(call_handler, falls):
    referral, _ = make_referral(call_handler, falls, factories.patient())

    events = list(referral.timeline.values_list("kind", "actor"))
    assert events == [("received", call_handler.pk), ("routed", None)]


def test_history_names_the_call_handler(call_handler, falls):
    referral, _ = make_referral(call_handler, falls, factories.patient())

    assert referral.history.get().history_user == call_handler
    assert referral.queue_item.history.get().history_user == call_handler


class TestPatientCreate:
    def test_it_stores_the_nhs_number_as_digits(self, call_handler):
        patient = services.patient_create(
            actor=call_handler,
            nhs_number="943 476 5919",
            given_name="Ada",
            family_name="Lovelace",
            date_of_birth=date(1960, 12, 10),
            postcode="ls14ap",
        )

        assert patient.nhs_number == "9434765919"
        assert patient.nhs_number_display == "943 476 5919"
        assert patient.postcode == "LS1 4AP"
        assert patient.history.get().history_user == call_handler

    @pytest.mark.parametrize(
        "nhs_number, message",
        [("9991234560", "check digit"), ("9876544321", "check digit"), ("12345", "10 digits")],
    )
    def test_it_refuses_invalid_nhs_numbers(self, call_handler, nhs_number, message):
        with pytest.raises(ValidationError) as error:
            services.patient_create(
                actor=call_handler,
                nhs_number=nhs_number,
                given_name="Ada",
                family_name="Lovelace",
                date_of_birth=date(1960, 1, 1),
            )
        assert message in error.value.message_dict["nhs_number"][0]
        assert Patient.objects.count() == 0

    def test_it_refuses_a_second_patient_with_the_same_nhs_number(self, call_handler):
        known = factories.patient(nhs_number="9990000018")

        with pytest.raises(ValidationError) as error:
            services.patient_create(
                actor=call_handler,
                nhs_number="999 000 0018",
                given_name=known.given_name,
                family_name=known.family_name,
                date_of_birth=known.date_of_birth,
            )
        assert "already recorded" in str(error.value)

    def test_it_refuses_a_future_date_of_birth(self, call_handler):
        with pytest.raises(ValidationError) as error:
            services.patient_create(
                actor=call_handler,
                given_name="Ada",
                family_name="Lovelace",
                date_of_birth=timezone.localdate() + timedelta(days=1),
            )
        assert "past" in error.value.message_dict["date_of_birth"][0]

    def test_it_refuses_a_child_naming_childrens_services(self, call_handler):
        with pytest.raises(ValidationError) as error:
            services.patient_create(
                actor=call_handler, given_name="Sam", family_name="Young", date_of_birth=date.today().replace(year=date.today().year - 12)
            )
        assert "children's services" in error.value.message_dict["date_of_birth"][0]

    def test_patients_without_nhs_numbers_do_not_clash(self, call_handler):
        for name in ("One", "Two"):
            services.patient_create(
                actor=call_handler, given_name=name, family_name="Unknown", date_of_birth=date(1940, 2, 2)
            )
        assert Patient.objects.filter(nhs_number="").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_racing_itself_still_makes_one_referral(call_handler, falls):
    patient = factories.patient()

    def submit():
        return make_referral(call_handler, falls, patient, key="clicked-twice")

    results = at_once(submit, submit)

    assert Referral.objects.count() == 1
    assert sorted(created for _, created in results) == [False, True]
    assert {referral.pk for referral, _ in results} == {Referral.objects.get().pk}

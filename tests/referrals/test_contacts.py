"""The contact log: every contact recorded, append-only, linked by caller and patient."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ccc.exceptions import Conflict
from ccc.phone import normalise_phone
from ccc.postcodes import normalise_postcode, validate_postcode
from referrals import selectors, services
from referrals.models import Contact, FrequentContactRule, Referral
from tests import factories
from tests.concurrency import at_once


def log(actor, **kwargs):
    return factories.contact(actor=actor, **kwargs)


def test_a_contact_records_who_called_how_and_what_came_of_it(call_handler):
    started = timezone.now() - timedelta(minutes=12)

    contact = log(
        call_handler,
        caller_type="care_home",
        channel="email",
        caller_name="Rosewood Care Home",
        caller_phone="0113 496 0123",
        started_at=started,
        duration_minutes=7,
        outcome="transferred",
        call_back_team=factories.team(),  # a transfer names where to
    )

    contact.refresh_from_db()
    assert (contact.caller_type, contact.channel, contact.outcome) == ("care_home", "email", "transferred")
    assert contact.caller_phone == "+441134960123"
    assert contact.started_at == started and contact.duration_minutes == 7
    assert contact.recorded_by == call_handler
    assert contact.reference == f"C{contact.pk:06d}"


def test_the_same_submission_twice_makes_one_contact(call_handler):
    first, created = services.contact_log(
        actor=call_handler, idempotency_key="k1", caller_type="gp", caller_name="Dr A", reason="r",
        outcome="advice_given",
    )
    again, created_again = services.contact_log(
        actor=call_handler, idempotency_key="k1", caller_type="gp", caller_name="Dr A", reason="r",
        outcome="advice_given",
    )

    assert (created, created_again) == (True, False)
    assert again == first and Contact.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_double_submit_racing_itself_makes_one_contact():
    handler = factories.user("call_handler")

    def submit():
        return services.contact_log(
            actor=handler, idempotency_key="race", caller_type="gp", caller_name="Dr A", reason="r",
            outcome="no_action",
        )[0].pk

    results = at_once(submit, submit)

    assert Contact.objects.count() == 1
    assert len({result for result in results if isinstance(result, int)}) == 1


def test_a_correction_is_a_new_version_and_the_original_stays(call_handler):
    original = log(call_handler, caller_name="Jon Smiht", outcome="no_action")

    amended, _ = services.contact_amend(
        contact=original, actor=call_handler, idempotency_key="fix-1",
        amendment_reason="Name misspelt", caller_name="Jon Smith",
    )

    original.refresh_from_db()
    assert original.caller_name == "Jon Smiht"  # unchanged
    assert amended.caller_name == "Jon Smith" and amended.amends == original and amended.reference == original.reference
    assert list(selectors.current_contacts()) == [amended]
    assert [v.pk for v in selectors.contact_versions(contact=amended)] == [original.pk, amended.pk]


def test_contacts_cannot_be_edited_in_place_or_deleted(call_handler):
    contact = log(call_handler)
    contact.caller_name = "Someone else"

    with pytest.raises(ValueError, match="append-only"):
        contact.save()
    with pytest.raises(ValueError, match="append-only"):
        contact.delete()


def test_an_already_corrected_version_cannot_be_corrected_again(call_handler):
    original = log(call_handler)
    services.contact_amend(contact=original, actor=call_handler, idempotency_key="a", amendment_reason="x", duration_minutes=4)

    with pytest.raises(Conflict, match="corrected this contact"):
        services.contact_amend(contact=original, actor=call_handler, idempotency_key="b", amendment_reason="y", duration_minutes=9)


def test_a_correction_needs_a_reason(call_handler):
    with pytest.raises(ValidationError) as error:
        services.contact_amend(contact=log(call_handler), actor=call_handler, idempotency_key="a", amendment_reason=" ")
    assert "amendment_reason" in error.value.message_dict


def test_signposted_contacts_name_the_service_and_others_do_not(call_handler):
    with pytest.raises(ValidationError) as error:
        log(call_handler, outcome="signposted")
    assert error.value.message_dict["signposted_to"] == ["Enter the service the person was signposted to"]

    with pytest.raises(ValidationError) as error:
        log(call_handler, outcome="advice_given", signposted_to="Age UK")
    assert "signposted_to" in error.value.message_dict

    assert log(call_handler, outcome="signposted", signposted_to=" Age UK ").signposted_to == "Age UK"


def test_a_just_to_talk_contact_is_signposted_afterwards_and_stays_just_to_talk(call_handler):
    contact = log(call_handler, outcome="just_to_talk")

    signposted = services.contact_signpost(
        contact=contact, signposted_to="Northfield Befriending Network", actor=call_handler, idempotency_key="s1"
    )

    assert signposted.outcome == "just_to_talk"
    assert signposted.signposted_to == "Northfield Befriending Network"
    assert signposted.amends == contact


def test_contacts_from_the_same_number_or_about_the_same_patient_are_related(call_handler):
    patient = factories.patient()
    contact = log(call_handler, caller_phone="0113 496 0001", patient=patient)
    same_caller = log(call_handler, caller_phone="+44 113 4960001")
    same_patient = log(call_handler, caller_phone="0113 496 0999", patient=patient)
    log(call_handler, caller_phone="0113 496 0777")  # unrelated
    log(call_handler)  # no number, no patient

    related = selectors.contact_related(contact=contact)

    assert set(related) == {same_caller, same_patient}


def test_a_corrected_contact_is_related_once_by_its_current_version(call_handler):
    contact = log(call_handler, caller_phone="0113 496 0001")
    other = log(call_handler, caller_phone="0113 496 0001")
    other_fixed, _ = services.contact_amend(
        contact=other, actor=call_handler, idempotency_key="f", amendment_reason="x", duration_minutes=3
    )

    assert selectors.contact_related(contact=contact) == [other_fixed]
    assert selectors.contact_related(contact=other_fixed) == [contact]


def test_a_frequent_caller_is_counted_over_the_configured_period(call_handler):
    rule = selectors.frequent_contact_rule()
    assert (rule.min_contacts, rule.within_days) == (5, 30)  # the default an administrator starts from
    now = timezone.now()
    for days_ago in (1, 3, 7, 20):
        log(call_handler, caller_phone="0113 496 0001", started_at=now - timedelta(days=days_ago))
    log(call_handler, caller_phone="0113 496 0001", started_at=now - timedelta(days=40))  # outside the period

    newest = selectors.contact_list(fetched_by=call_handler).filter(caller_phone="+441134960001").first()
    assert newest.caller_recent == 4

    FrequentContactRule.objects.all().delete()
    FrequentContactRule.objects.create(min_contacts=4, within_days=60)
    newest = selectors.contact_list(fetched_by=call_handler).filter(caller_phone="+441134960001").first()
    assert newest.caller_recent == 5 >= selectors.frequent_contact_rule().min_contacts


def test_the_patient_summary_flags_a_frequent_contact(call_handler):
    patient = factories.patient()
    for _ in range(4):
        log(call_handler, patient=patient)
    assert not selectors.patient_summary(public_id=patient.public_id, fetched_by=call_handler).is_frequent_contact

    log(call_handler, patient=patient)
    summary = selectors.patient_summary(public_id=patient.public_id, fetched_by=call_handler)

    assert summary.is_frequent_contact and summary.recent_contact_count == 5
    assert len(summary.contacts) == 5


def test_the_patient_summary_lists_only_open_referrals(call_handler, clinician, falls):
    from triage import services as triage_services

    patient = factories.patient()
    waiting = factories.referral(need=falls, actor=call_handler, patient_=patient)
    done = factories.referral(need=falls, actor=call_handler, patient_=patient)
    item = triage_services.queue_item_claim(item=done.queue_item, actor=clinician)
    triage_services.triage_decision_record(item=item, actor=clinician, priority="routine", outcome="signpost", clinical_note="n",
        signposted_to="Northfield Befriending Network",
    )

    summary = selectors.patient_summary(public_id=patient.public_id, fetched_by=call_handler)

    assert summary.open_referrals == [waiting]


def test_raising_a_referral_from_a_contact_links_them(call_handler, falls):
    patient = factories.patient()
    contact = log(call_handler, caller_type="gp", caller_name="Dr Okafor", outcome="advice_given")

    referral, created, linked = services.referral_create_from_contact(
        contact=contact, actor=call_handler, idempotency_key="ref-1", patient=patient, need=falls,
        referrer_type="gp", referrer_name="Dr Okafor", reason="Fall",
    )

    assert created
    assert linked.outcome == Contact.Outcome.REFERRAL_CREATED
    assert linked.referral == referral and linked.patient == patient and linked.amends == contact
    assert list(referral.contacts.filter(amended_by__isnull=True)) == [linked]


def test_raising_the_same_referral_twice_from_a_contact_makes_one_referral_and_one_link(call_handler, falls):
    patient = factories.patient()
    contact = log(call_handler, outcome="referral_created")
    fields = dict(patient=patient, need=falls, referrer_type="gp", referrer_name="Dr O", reason="Fall")

    services.referral_create_from_contact(contact=contact, actor=call_handler, idempotency_key="same", **fields)
    _, created, linked = services.referral_create_from_contact(
        contact=contact, actor=call_handler, idempotency_key="same", **fields
    )

    assert not created
    assert Referral.objects.count() == 1
    assert Contact.objects.count() == 2  # the original and one linked version


def test_a_contact_raises_one_referral_only(call_handler, falls):
    patient = factories.patient()
    contact = log(call_handler)
    fields = dict(patient=patient, need=falls, referrer_type="gp", referrer_name="Dr O", reason="Fall")
    services.referral_create_from_contact(contact=contact, actor=call_handler, idempotency_key="one", **fields)

    with pytest.raises(Conflict, match="already raised referral"):
        services.referral_create_from_contact(contact=contact, actor=call_handler, idempotency_key="two", **fields)
    assert Referral.objects.count() == 1  # the second referral was rolled back with the refusal


@pytest.mark.parametrize(
    "typed, stored",
    [("0113 496 0000", "+441134960000"), ("+44 (0)113 4960000", "+441134960000"), ("020 7946 0018", "+442079460018")],
)
def test_phone_numbers_are_stored_in_one_form(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12", "0113 496", "not a number", "'; DROP TABLE contacts; --", "0" * 40])
def test_bad_phone_numbers_are_refused_with_a_clear_message(typed):
    with pytest.raises(ValidationError) as error:
        normalise_phone(typed)
    assert "phone number" in error.value.messages[0]


@pytest.mark.parametrize("typed, stored", [("ls1 4ap", "LS1 4AP"), ("  LS14AP ", "LS1 4AP"), ("sw1a1aa", "SW1A 1AA")])
def test_postcodes_are_normalised(typed, stored):
    validate_postcode(typed)
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["LS1", "LS1 4A", "12345", "QQ1 1AA", "LS1 4AP X", "' OR 1=1 --"])
def test_bad_postcodes_are_refused(typed):
    with pytest.raises(ValidationError, match="full UK postcode"):
        validate_postcode(typed)


def test_a_contact_with_a_bad_phone_number_names_the_field(call_handler):
    with pytest.raises(ValidationError) as error:
        log(call_handler, caller_phone="12345")
    assert "caller_phone" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_two_corrections_of_one_contact_at_once_cannot_both_win():
    handler, other = factories.user("call_handler"), factories.user("call_handler")
    contact = factories.contact(actor=handler)

    def correct(actor, key, minutes):
        return lambda: services.contact_amend(
            contact=contact, actor=actor, idempotency_key=key, amendment_reason="fix", duration_minutes=minutes
        )[0]

    results = at_once(correct(handler, "a", 3), correct(other, "b", 9))

    assert sum(isinstance(result, Contact) for result in results) == 1
    assert sum(isinstance(result, Conflict) for result in results) == 1
    assert selectors.current_contacts().count() == 1
    assert Contact.objects.count() == 2

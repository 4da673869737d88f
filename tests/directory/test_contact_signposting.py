"""The signposting services behind contacts and triage decisions."""

import pytest
from django.core.exceptions import ValidationError

from ccc.exceptions import Conflict
from directory import services
from directory.models import Signposting
from referrals import services as referral_services
from referrals.models import Contact
from tests import factories
from triage import services as triage_services
from triage.models import TriageDecision


def test_signposting_an_advice_contact_makes_it_a_signposted_contact(call_handler):
    contact = factories.contact(actor=call_handler, outcome="advice_given")
    service = factories.directory_service(name="Carers' centre")

    signposting = services.signposting_record(service=service, need="Carer support", unmet_need=False,
                                              actor=call_handler, contact=contact, idempotency_key="k1")

    assert (signposting.contact.outcome, signposting.contact.signposted_to) == ("signposted", "Carers' centre")
    assert signposting.contact.amends == contact


def test_a_contact_corrected_meanwhile_is_not_signposted_on_the_old_version(call_handler):
    contact = factories.contact(actor=call_handler, outcome="just_to_talk")
    referral_services.contact_amend(contact=contact, actor=call_handler, idempotency_key="fix",
                                    amendment_reason="Typo", reason="Lonely")
    service = factories.directory_service(name="Befriending")

    with pytest.raises(Conflict):
        services.signposting_record(service=service, need="Company", unmet_need=False, actor=call_handler,
                                    contact=contact, idempotency_key="k2")

    assert not Signposting.objects.exists()
    assert Contact.objects.count() == 2


def test_a_directory_service_on_a_decision_that_is_not_a_signpost_is_refused(referral, clinician):
    service = factories.directory_service(name="Befriending")
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)

    with pytest.raises(ValidationError) as error:
        triage_services.triage_decision_record(
            item=referral.queue_item, actor=clinician, priority="routine", outcome="no_further_action",
            clinical_note="Nothing to do", directory_service=service,
        )

    assert "directory_service" in error.value.message_dict
    assert not TriageDecision.objects.exists() and not Signposting.objects.exists()


def test_the_decision_names_the_directory_service_it_signposts_to(referral, clinician):
    service = factories.directory_service(name="Falls prevention classes")
    triage_services.queue_item_claim(item=referral.queue_item, actor=clinician)

    decision = triage_services.triage_decision_record(
        item=referral.queue_item, actor=clinician, priority="routine", outcome="signpost",
        clinical_note="Strength and balance", directory_service=service,
    )

    assert decision.signposted_to == "Falls prevention classes"
    assert Signposting.objects.get().referral == referral

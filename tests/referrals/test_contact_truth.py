"""Contacts tell the truth: "referral created" only when a referral exists; until then, pending."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ccc.reporting import Period, PeriodKind, Scope
from referrals import services
from referrals.models import Contact, Referral
from referrals.selectors import contacts_by_outcome
from tests import factories


def outcomes_today() -> dict:
    rows = contacts_by_outcome(Period.around(PeriodKind.DAY, timezone.localdate()), Scope(None))
    return {row["outcome"]: row["contacts"] for row in rows}


def raise_referral(contact, call_handler, falls):
    return services.referral_create_from_contact(
        contact=contact, actor=call_handler, idempotency_key=uuid.uuid4().hex, patient=factories.patient(), need=falls,
        referrer_type="gp", referrer_name="Dr Okafor", reason="Fall",
    )


def test_a_contact_logged_for_a_referral_is_pending_and_not_counted_as_a_referral(call_handler):
    contact = factories.contact(actor=call_handler, outcome="referral_created")

    assert contact.outcome == Contact.Outcome.REFERRAL_PENDING and contact.referral is None
    assert outcomes_today()["Referral created"] == 0
    assert outcomes_today()["Referral pending"] == 1


def test_raising_the_referral_makes_the_contact_referral_created_and_counts_it(call_handler, falls):
    contact = factories.contact(actor=call_handler, outcome="referral_pending")

    referral, _, linked = raise_referral(contact, call_handler, falls)

    assert (linked.outcome, linked.referral) == (Contact.Outcome.REFERRAL_CREATED, referral)
    assert (outcomes_today()["Referral created"], outcomes_today()["Referral pending"]) == (1, 0)


def test_a_correction_cannot_claim_a_referral_that_does_not_exist(call_handler):
    contact = factories.contact(actor=call_handler)

    with pytest.raises(ValidationError, match="set when the referral is raised"):
        services.contact_amend(contact=contact, actor=call_handler, idempotency_key="k", amendment_reason="typo",
                               outcome=Contact.Outcome.REFERRAL_CREATED)
    assert Contact.objects.count() == 1


def test_a_contact_that_raised_a_referral_stays_referral_created(call_handler, falls):
    _, _, linked = raise_referral(factories.contact(actor=call_handler), call_handler, falls)

    with pytest.raises(ValidationError, match="stays “Referral created”"):
        services.contact_amend(contact=linked, actor=call_handler, idempotency_key="k", amendment_reason="typo",
                               outcome=Contact.Outcome.ADVICE_GIVEN)


def test_the_database_refuses_referral_created_without_a_referral(call_handler):
    with pytest.raises(IntegrityError), transaction.atomic():
        Contact.objects.create(
            caller_type="gp", caller_name="Dr O", reason="Fall", outcome="referral_created", started_at=timezone.now(),
            recorded_by=call_handler, recorded_at=timezone.now(), idempotency_key="raw",
        )


def test_the_contact_form_does_not_offer_referral_created(client, call_handler):
    client.force_login(call_handler)

    outcomes = [value for value, _ in client.get(reverse("referrals:contact_log")).context["form"].fields["outcome"].choices]

    assert "referral_created" not in outcomes and "referral_pending" in outcomes


def test_the_call_handlers_list_shows_referrals_still_to_raise_until_raised(client, call_handler, falls):
    pending = factories.contact(actor=call_handler, caller_name="Dr Pending", outcome="referral_pending")
    factories.contact(actor=call_handler, caller_name="Mrs Advice")
    client.force_login(call_handler)

    before = client.get(reverse("referrals:contact_list"))
    raise_referral(pending, call_handler, falls)
    after = client.get(reverse("referrals:contact_list"))

    assert [c.caller_name for c in before.context["pending"]] == ["Dr Pending"]
    assert "Referrals still to raise (1)" in before.content.decode()
    assert after.context["pending"] == [] and "Referrals still to raise" not in after.content.decode()
    assert Referral.objects.count() == 1

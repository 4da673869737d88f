"""Demo data for the front desk: a referrer who can track, contacts, a frequent caller."""

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from ccc.models import User
from referrals import selectors
from referrals.models import Contact, Referral

PASSWORD = "demo-password-for-tests-42"


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_data", stdout=out, stderr=StringIO(), password=PASSWORD)
    return out.getvalue()


def test_the_demo_referrer_logs_in_and_tracks_their_practices_referral(demo):
    referrer = authenticate(RequestFactory().post("/accounts/login/"), username="referrer.gp", password=PASSWORD)
    assert referrer is not None and referrer.role == User.Role.REFERRER
    assert referrer.organisation.kind == "gp_practice" and referrer.organisation.ods_code
    assert "referrer.gp" in demo
    tracked = list(selectors.tracked_referral_list(fetched_by=referrer))
    assert len(tracked) == 1
    assert tracked[0].contacts.get().outcome == Contact.Outcome.REFERRAL_CREATED


def test_the_demo_has_a_frequent_caller_flagged(demo):
    handler = User.objects.get(username="callhandler")
    rule = selectors.frequent_contact_rule()
    flagged = [c for c in selectors.contact_list(fetched_by=handler) if c.caller_recent >= rule.min_contacts]
    assert flagged
    assert {c.outcome for c in flagged} == {"just_to_talk"}


def test_running_twice_makes_no_more_contacts(demo, settings):
    before = (Contact.objects.count(), Referral.objects.count(), User.objects.count())
    call_command("demo_data", stdout=StringIO(), stderr=StringIO(), password=PASSWORD)
    assert (Contact.objects.count(), Referral.objects.count(), User.objects.count()) == before


def test_the_demo_has_patients_with_phones_next_of_kin_and_a_risk_to_staff_alert(demo):
    from referrals.models import Patient, PatientSupportPerson, SafetyAlert

    daniel = Patient.objects.get(given_name="Daniel", family_name="Kowalski")
    assert daniel.has_active_alert(SafetyAlert.Category.RISK_TO_STAFF)
    assert daniel.phones.filter(call_first=True).count() == 1
    assert PatientSupportPerson.objects.filter(is_next_of_kin=True).count() >= 3
    assert Patient.objects.get(given_name="Kwame").interpreter_needed

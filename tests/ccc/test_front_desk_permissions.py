"""The front desk's actions in ccc.permissions: who logs contacts, who tracks which referral."""

from ccc.permissions import Action, can
from referrals.models import Referral
from referrals.permissions import scope_tracked_referrals
from tests import factories


def test_a_referrer_may_track_only_their_own_practices_or_wards_referrals(practice_referral, referrer, other_referrer, falls, call_handler):
    ward = factories.ward_team()
    ward_referral = factories.referral(need=falls, received_by=call_handler, referring_ward=ward, referrer_type="ward")
    ward_referrer = factories.user("referrer", team=ward)

    assert can(referrer, Action.REFERRAL_TRACK, practice_referral)
    assert not can(other_referrer, Action.REFERRAL_TRACK, practice_referral)
    assert not can(referrer, Action.REFERRAL_TRACK, ward_referral)
    assert can(ward_referrer, Action.REFERRAL_TRACK, ward_referral)
    assert list(scope_tracked_referrals(ward_referrer, Referral.objects.all())) == [ward_referral]


def test_only_referrers_track_and_only_call_handlers_log_contacts(call_handler, manager, administrator, clinician, referrer):
    assert [can(user, Action.REFERRAL_TRACK) for user in (call_handler, manager, administrator, clinician, referrer)] == [
        False, False, False, False, True,
    ]
    assert [can(user, Action.CONTACT_LOG) for user in (call_handler, manager, administrator, clinician, referrer)] == [
        True, False, False, False, False,
    ]
    assert [can(user, Action.CONTACT_VIEW) for user in (call_handler, manager, administrator, clinician, referrer)] == [
        True, True, True, False, False,
    ]

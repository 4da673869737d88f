import pytest

from ccc.models import User
from ccc.permissions import ROLE_ACTIONS, Action, can
from referrals.models import Referral
from referrals.permissions import scope_tracked_referrals
from tests import factories
from triage.models import DutyQueue
from triage.permissions import scope_queues, scope_referrals


def test_every_role_has_an_entry():
    assert set(ROLE_ACTIONS) == set(User.Role.values)


def test_no_role_and_inactive_users_can_do_nothing(db):
    nobody = factories.user(role="")
    gone = factories.user(User.Role.ADMINISTRATOR, is_active=False)
    for action in Action:
        assert not can(nobody, action)
        assert not can(gone, action)


def test_anonymous_can_do_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert not any(can(AnonymousUser(), action) for action in Action)


def test_a_clinician_works_only_their_own_queues(referral, clinician, mental_clinician):
    item = referral.queue_item
    assert can(clinician, Action.QUEUE_ITEM_CLAIM, item)
    assert can(clinician, Action.REFERRAL_VIEW, referral)
    assert not can(mental_clinician, Action.QUEUE_ITEM_CLAIM, item)
    assert not can(mental_clinician, Action.REFERRAL_VIEW, referral)
    assert not can(mental_clinician, Action.QUEUE_VIEW, item.queue)


def test_scoping_lists_agrees_with_object_checks(referral, crisis, call_handler, clinician, mental_clinician, manager, toc_member):
    factories.referral(need=crisis, actor=call_handler)
    for user in (call_handler, clinician, mental_clinician, manager, toc_member):
        visible = set(scope_referrals(user, Referral.objects.all()))
        assert visible == {r for r in Referral.objects.all() if can(user, Action.REFERRAL_VIEW, r)}
        queues = set(scope_queues(user, DutyQueue.objects.all()))
        assert queues == {q for q in DutyQueue.objects.all() if can(user, Action.QUEUE_VIEW, q)}


@pytest.mark.parametrize(
    "role, action, allowed",
    [
        (User.Role.CALL_HANDLER, Action.REFERRAL_CREATE, True),
        (User.Role.CALL_HANDLER, Action.QUEUE_ITEM_CLAIM, False),
        (User.Role.DUTY_CLINICIAN, Action.REFERRAL_CREATE, False),
        (User.Role.MANAGER, Action.QUEUE_ITEM_CLAIM, False),
        (User.Role.MANAGER, Action.QUEUE_VIEW, True),
        (User.Role.TOC, Action.REFERRAL_VIEW, False),
        (User.Role.ADMINISTRATOR, Action.ADMINISTER, True),
        (User.Role.CALL_HANDLER, Action.ADMINISTER, False),
    ],
)
def test_role_grants(db, role, action, allowed):
    assert can(factories.user(role), action) is allowed


# The front desk: who logs contacts, who tracks which referral.


def test_a_referrer_may_track_only_their_own_practices_or_wards_referrals(practice_referral, referrer, other_referrer, falls, call_handler):
    ward = factories.ward_team()
    ward_referral = factories.referral(need=falls, actor=call_handler, referring_ward=ward, referrer_type="ward")
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

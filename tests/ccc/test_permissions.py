import pytest

from ccc.models import User
from ccc.permissions import ROLE_ACTIONS, Action, can
from referrals.models import Referral
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
    factories.referral(need=crisis, received_by=call_handler)
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

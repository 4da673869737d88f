"""Accounts: lockout after failed logins, an administrator's unlock, end dates and disabling at once."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ccc.accounts import account_unlock
from ccc.models import User
from ccc.permissions import ROLE_ACTIONS, can
from tests import factories

pytestmark = pytest.mark.django_db


def log_in(client, username: str, password: str = factories.PASSWORD, ip: str = "127.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return client.get(reverse("session_keepalive")).status_code == 200


def fail(client, username: str, times: int, ip: str = "127.0.0.1") -> None:
    for _ in range(times):
        log_in(client, username, "not-the-password", ip=ip)


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client):
    person = factories.user()
    fail(client, person.username, 50)

    response = log_in(client, person.username)

    assert response.status_code == 429
    assert "Account locked" in response.text
    assert "ask a Care Co-ordination Centre administrator to unlock" in response.text
    assert not signed_in(client)


def test_four_wrong_passwords_do_not_lock_the_account(client):
    person = factories.user()
    fail(client, person.username, 4)

    assert log_in(client, person.username).status_code == 302
    assert signed_in(client)


def test_the_fifth_failure_locks_the_account_and_says_so(client):
    person = factories.user()
    fail(client, person.username, 4)

    response = log_in(client, person.username, "still-wrong")

    assert response.status_code == 429
    assert "5 or more failed attempts" in response.text
    assert "Try again in 15 minutes" in response.text


def test_the_right_password_works_once_the_lock_has_expired(client):
    person = factories.user()
    fail(client, person.username, 10)
    assert log_in(client, person.username).status_code == 429

    # Sixteen minutes pass (axes' own attempt log; it keeps no history).
    AccessAttempt.objects.filter(username=person.username).update(attempt_time=F("attempt_time") - timedelta(minutes=16))

    assert log_in(client, person.username).status_code == 302
    assert signed_in(client)


def test_other_people_can_still_log_in_while_one_is_locked(client):
    locked, other = factories.user(), factories.user()
    fail(client, locked.username, 50)

    assert log_in(client, other.username).status_code == 302
    assert signed_in(client)


def test_an_administrator_unlocks_a_locked_account_at_once(client):
    person, administrator = factories.user(), factories.user(User.Role.ADMINISTRATOR)
    fail(client, person.username, 5)
    assert log_in(client, person.username).status_code == 429

    assert account_unlock(actor=administrator, user=person) == 1

    assert log_in(client, person.username).status_code == 302
    assert signed_in(client)


def test_only_an_administrator_can_unlock(client):
    person, manager = factories.user(), factories.user(User.Role.MANAGER)
    fail(client, person.username, 5)

    with pytest.raises(PermissionDenied):
        account_unlock(actor=manager, user=person)
    assert log_in(client, person.username).status_code == 429


def test_the_administrators_staff_screen_unlocks_and_shows_the_end_date(client):
    person, administrator = factories.user(), factories.user(User.Role.ADMINISTRATOR)
    fail(client, person.username, 5)
    client.force_login(administrator)

    change = client.get(reverse("admin:ccc_user_change", args=[person.pk]))
    assert 'name="active_until"' in change.text
    response = client.post(
        reverse("admin:ccc_user_changelist"), {"action": "unlock", "_selected_action": [person.pk]}, follow=True
    )
    assert "Unlocked 1 account(s)" in response.text

    client.logout()
    assert log_in(client, person.username).status_code == 302


def test_nobody_can_log_in_after_their_end_date(client):
    yesterday = timezone.localdate() - timedelta(days=1)
    person = factories.user(active_until=yesterday)

    response = log_in(client, person.username)

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert not signed_in(client)


def test_the_end_date_itself_is_still_a_working_day(client):
    person = factories.user(active_until=timezone.localdate())

    assert log_in(client, person.username).status_code == 302
    assert signed_in(client)


def test_a_session_stops_working_on_the_next_request_once_the_end_date_has_passed(client):
    person = factories.user(User.Role.MANAGER)
    client.force_login(person)
    assert signed_in(client)

    person.active_until = timezone.localdate() - timedelta(days=1)
    person.save()

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_every_action_is_refused_once_the_end_date_has_passed_api_tokens_included():
    # The permission module asks the same rule, so a session or API token already open stops too.
    person = factories.user(User.Role.MANAGER)
    actions = ROLE_ACTIONS[person.role]
    assert all(can(person, action) for action in actions)

    person.active_until = timezone.localdate() - timedelta(days=1)
    person.save()

    assert not any(can(person, action) for action in actions)


def test_disabling_an_account_ends_its_session_at_once(client):
    person = factories.user()
    client.force_login(person)
    assert signed_in(client)

    person.is_active = False
    person.save()

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


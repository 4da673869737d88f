"""The second factor: managers and administrators give a code from an authenticator app after the
password (enrolling one the first time); nobody else is asked; an administrator resets a lost phone."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from ccc.accounts import second_factor_reset
from ccc.models import User
from ccc.permissions import Action, needs_second_factor, roles_granted
from tests import factories
from tests.second_factor import Client as SecondFactorClient
from tests.second_factor import code_for, code_for_secret, enrolled

pytestmark = pytest.mark.django_db
STEP = reverse("second_factor")


def log_in(client, user: User):
    response = client.post(reverse("login"), {"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302, response.content[:1000]
    return response


def enter(client, code: str, next_url: str = ""):
    return client.post(STEP, {"code": code, "next": next_url})


def at_the_step(client, user: User) -> tuple[TOTPDevice, str, str]:
    """``user`` has an app set up and has given their password: their device, a right code, a wrong one."""
    device = enrolled(user)
    log_in(client, user)
    right = code_for(device)
    return device, right, f"{(int(right) + 1) % 1_000_000:06d}"


def test_only_managers_and_administrators_need_a_second_factor():
    assert roles_granted(Action.ACCOUNT_SECOND_FACTOR_REQUIRED) == {User.Role.MANAGER, User.Role.ADMINISTRATOR}


def test_a_call_handler_goes_straight_in_after_the_password(client, call_handler):
    log_in(client, call_handler)

    assert client.get(reverse("home"), follow=True).status_code == 200
    assert not TOTPDevice.objects.exists()


@pytest.mark.parametrize("path", ["/", "/dashboard/", "/admin/", "/queues/"])
def test_with_only_the_password_every_page_sends_a_manager_to_the_code_step(client, manager, path):
    enrolled(manager)
    log_in(client, manager)

    response = client.get(path)

    assert response.status_code == 302
    assert response.url.startswith(STEP) and "next=" in response.url


def test_with_only_the_password_the_api_refuses_the_session(client, administrator):
    enrolled(administrator)
    log_in(client, administrator)

    response = client.get("/api/v1/referrals/")

    assert response.status_code == 403
    assert "authenticator app" in response.json()["detail"]


def test_an_api_token_is_not_asked_for_a_code(api, manager):
    # A token is a system's, kept on its machine: there is no typed password for a code to back up.
    token = Token.objects.create(user=manager)

    response = api.get("/api/v1/referrals/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200


def test_a_wrong_code_is_refused_and_the_person_stays_at_the_step(client, manager):
    _, _, wrong = at_the_step(client, manager)

    response = enter(client, wrong)

    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert client.get(reverse("home")).url.startswith(reverse("second_factor"))


def test_the_right_code_lets_them_in_and_back_to_where_they_were_going(client, manager):
    device = enrolled(manager)
    log_in(client, manager)

    response = enter(client, code_for(device), next_url="/dashboard/")

    assert response.status_code == 302 and response.url == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert client.get(reverse("home"), follow=True).status_code == 200


def test_a_code_is_refused_the_second_time(client, manager):
    device = enrolled(manager)
    log_in(client, manager)
    code = code_for(device)
    assert enter(client, code).status_code == 302
    client.post(reverse("logout"))

    log_in(client, manager)
    response = enter(client, code)

    assert "That code is not right" in response.text


def test_a_bad_looking_code_is_refused_without_counting_as_a_guess(client, manager):
    device = enrolled(manager)
    log_in(client, manager)

    response = enter(client, "12ab")

    assert "Enter the 6 digits" in response.text
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_wrong_codes_lock_the_step_so_even_the_right_code_waits(client, manager):
    device, right, wrong = at_the_step(client, manager)
    for _ in range(3):
        enter(client, wrong)
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(hours=1))
    enter(client, wrong)  # the fourth: the next may come only after 8 seconds

    response = enter(client, right)

    assert "Too many wrong codes: wait" in response.text
    assert client.get(reverse("home")).url.startswith(reverse("second_factor"))
    device.refresh_from_db()
    assert device.throttling_failure_count == 4

    # Once the wait is over, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(hours=1))
    assert enter(client, code_for(device)).status_code == 302
    assert client.get(reverse("home"), follow=True).status_code == 200


def test_a_first_login_enrols_an_app_with_a_qr_code_and_a_secret_confirmed_by_a_code(client, administrator):
    log_in(client, administrator)

    page = client.get(STEP)
    assert "Set up your authenticator app" in page.text and "<svg" in page.text
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page.text).group(1)
    assert client.get(STEP).text.count(secret) == 1  # reloading keeps the same secret
    assert TOTPDevice.objects.get(user=administrator).confirmed is False

    response = enter(client, code_for_secret(secret))

    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=administrator).confirmed is True
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("logout"))
    log_in(client, administrator)
    assert "Enter your code" in client.get(STEP).text  # next time: the code, not a new secret


def test_an_administrator_resets_a_lost_phone_and_the_next_login_enrols_again(client, administrator, manager):
    enrolled(manager)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:ccc_user_changelist"), {"action": "reset_second_factor", "_selected_action": [manager.pk]}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=manager).exists()
    client.post(reverse("logout"))
    log_in(client, manager)
    assert "Set up your authenticator app" in client.get(STEP).text


def test_a_reset_ends_every_session_the_person_has_so_they_log_in_again_and_enrol(administrator, manager):
    at_desk, at_home, admin = SecondFactorClient(), SecondFactorClient(), SecondFactorClient()
    at_desk.force_login(manager)
    at_home.force_login(manager)
    admin.force_login(administrator)
    assert at_desk.get(reverse("reporting:dashboard")).status_code == 200

    admin.post(reverse("admin:ccc_user_changelist"), {"action": "reset_second_factor", "_selected_action": [manager.pk]})

    for session in (at_desk, at_home):
        response = session.get(reverse("home"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert session.get("/api/v1/referrals/").status_code == 401  # no longer signed in at all
    assert admin.get(reverse("admin:index")).status_code == 200  # only the person reset is logged out
    log_in(at_desk, manager)
    assert "Set up your authenticator app" in at_desk.get(STEP).text


def test_a_reset_leaves_the_persons_api_token_working(api, administrator, manager):
    token = Token.objects.create(user=manager)

    second_factor_reset(actor=administrator, user=manager)

    assert api.get("/api/v1/referrals/", HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200


def test_a_reset_is_in_the_persons_history_with_who_did_it(administrator, manager):
    second_factor_reset(actor=administrator, user=manager)

    latest = manager.history.latest()
    assert latest.session_stamp == 1 and latest.history_user == administrator


def test_only_an_administrator_may_reset_a_second_factor(manager, administrator):
    enrolled(administrator)

    with pytest.raises(PermissionDenied):
        second_factor_reset(actor=manager, user=administrator)
    assert TOTPDevice.objects.filter(user=administrator).exists()


def test_an_ended_account_needs_no_code_because_it_cannot_sign_in_at_all(manager):
    manager.is_active = False

    assert not needs_second_factor(manager)

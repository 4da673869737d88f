"""A signed-in session left alone for CCC_IDLE_MINUTES (30 by default) ends, and the person is
sent to the login page with a message; activity keeps it going. We move the stored time of
last activity back rather than wait."""

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from ccc.middleware import LAST_ACTIVITY_KEY


def idle_for(client, seconds: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] -= seconds
    session.save()


@pytest.fixture
def signed_in(client, call_handler):
    client.force_login(call_handler)  # signing in is the first activity
    return client


def test_the_idle_limit_is_thirty_minutes_by_default():
    assert settings.IDLE_TIMEOUT_SECONDS == 30 * 60


def test_a_session_idle_past_the_limit_is_signed_out_and_sent_to_login_with_a_message(signed_in):
    idle_for(signed_in, settings.IDLE_TIMEOUT_SECONDS + 1)

    response = signed_in.get(reverse("referrals:referral_list"), follow=True)

    assert response.redirect_chain[0][0] == f"{reverse('login')}?next={reverse('referrals:referral_list')}"
    assert not response.context["user"].is_authenticated
    assert "not done anything for 30 minutes" in response.content.decode()
    assert signed_in.get(reverse("home")).url.startswith(reverse("login"))  # and stays signed out


def test_an_active_session_is_not_signed_out(signed_in):
    for _ in range(3):  # three steps, each 20 minutes after the last: 60 minutes in all
        idle_for(signed_in, 20 * 60)
        response = signed_in.get(reverse("referrals:referral_list"))
        assert response.status_code == 200
        assert response.context["user"].is_authenticated


def test_a_background_refresh_does_not_keep_an_idle_session_alive(signed_in, clinician, physical_queue):
    signed_in.force_login(clinician)
    fragment = reverse("triage:queue_items_fragment", args=[physical_queue.code])
    idle_for(signed_in, 20 * 60)

    assert signed_in.get(fragment, headers={"X-Requested-With": "fetch"}).status_code == 200
    idle_for(signed_in, 11 * 60)

    assert signed_in.get(reverse("home")).url.startswith(reverse("login"))


def test_an_idle_api_call_with_the_session_is_refused_not_redirected(signed_in):
    idle_for(signed_in, settings.IDLE_TIMEOUT_SECONDS + 1)

    response = signed_in.get("/api/v1/referrals/")

    assert response.status_code in {401, 403}


def test_stay_signed_in_counts_as_activity(signed_in):
    idle_for(signed_in, settings.IDLE_TIMEOUT_SECONDS - 60)

    assert signed_in.get(reverse("session_keepalive")).json() == {"idle_timeout_seconds": 30 * 60}
    idle_for(signed_in, 120)

    assert signed_in.get(reverse("home"), follow=True).status_code == 200


def test_signed_in_pages_load_the_idle_warning_with_the_limit(signed_in):
    html = signed_in.get(reverse("home"), follow=True).content.decode()

    assert f'data-idle-timeout-seconds="{settings.IDLE_TIMEOUT_SECONDS}"' in html
    assert "ccc/idle-timeout.js" in html
    assert finders.find("ccc/idle-timeout.js")

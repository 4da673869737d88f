"""Middleware the whole site shares."""

import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django_otp import DEVICE_ID_SESSION_KEY

from ccc.durations import duration_words
from ccc.permissions import needs_second_factor
from ccc.query_watch import query_watch

LAST_ACTIVITY_KEY = "ccc_last_activity"
# Saving the session on every request would write a row per click; a minute's precision is plenty.
ACTIVITY_RESOLUTION_SECONDS = 60


class NoStoreForSignedInMiddleware:
    """Nothing shown to a signed-in person is kept by a browser or a proxy.

    Patient, referral, queue, triage, episode and Transfer of Care pages (and the API) all carry
    personal data, and a shared ward computer's back button or disk cache must not show it to the
    next person. Everything a signed-in person is sent is ``no-store, private``; static files are
    served before this runs and keep their long cache. DRF sets ``request.user`` for token callers
    too, so API answers are covered as well.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


def stamp_activity_at_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Signing in is activity: stamped with the login's own session write, not the next page's."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """A signed-in session left alone for IDLE_TIMEOUT_SECONDS ends.

    The last activity is kept in the session. A page request past the limit signs the person
    out and sends them to the login page (then back where they were) with a message; an API
    call made with the session simply becomes anonymous and is refused. Background refreshes
    (the duty queue's ``X-Requested-With: fetch`` poll) are checked but do not count as
    activity, so a screen left open on a queue still times out.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - int(last) > settings.IDLE_TIMEOUT_SECONDS:
                logout(request)
                idle = duration_words(timedelta(seconds=settings.IDLE_TIMEOUT_SECONDS))
                if not request.path.startswith("/api/"):
                    messages.info(
                        request,
                        f"You were signed out because you had not done anything for {idle}. "
                        "Sign in again to carry on.",
                    )
                    if request.path != resolve_url(settings.LOGIN_URL):
                        return redirect_to_login(request.get_full_path())
            elif last is None or (
                request.headers.get("X-Requested-With") != "fetch"
                and now - int(last) >= ACTIVITY_RESOLUTION_SECONDS
            ):
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


def second_factor_passed(request: HttpRequest) -> bool:
    """Whether this session gave a right code from an authenticator app (kept in the session by
    django-otp's login, so checking costs no query)."""
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


class SecondFactorMiddleware:
    """Someone who must use a second factor (``ccc.permissions.needs_second_factor``) and has given only
    their password reaches nothing but the code page (or enrolment) and logging out.

    Pages redirect there and back; an API call made with such a session is refused. API tokens are
    not sessions and pass: they are issued by an administrator to a system (a GP practice's or ward's),
    kept on that machine and never typed in, so there is no password for a second factor to back up.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not second_factor_passed(request)
            and needs_second_factor(user)
            and request.path not in {reverse("second_factor"), reverse("logout")}
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Enter the code from your authenticator app on the website first."}, status=403
                )
            return redirect_to_login(request.get_full_path(), reverse("second_factor"))
        return self.get_response(request)


class QueryCountMiddleware:
    """Sets ``X-Query-Count``: the SQL statements a response cost, with DEBUG off (where Django keeps no
    query log). On only when ``CCC_QUERY_COUNT_HEADER=1`` (``ccc/settings.py``), for the place benchmark
    (``manage.py place_benchmark``); first in the list, so sessions and authentication count too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with query_watch() as watch:
            response = self.get_response(request)
        response["X-Query-Count"] = str(watch.count)
        return response

"""Middleware the whole site shares."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


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

"""The error pages, inside the site's frame: what happened and where to go next.

A refusal raised by the permission module (``ActionRefused``) knows its action, so the 403 page
says which roles may do it. The API answers its own refusals as JSON (DRF); a refusal that
reaches here on an API path is answered as JSON too. The 500 page is rendered with no request
context: it must show even when the database or a context processor is what failed.
"""

from django.http import HttpResponseForbidden, HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.template import loader

from ccc.permissions import ActionRefused

API_PREFIXES = ("/api/", "/fhir/")


def permission_denied(request, exception=None):
    reason = exception.who_may() if isinstance(exception, ActionRefused) else ""
    if request.path.startswith(API_PREFIXES):
        return JsonResponse({"detail": reason or "You do not have permission to perform this action."}, status=403)
    html = loader.render_to_string("403.html", {"reason": reason}, request)
    return HttpResponseForbidden(html)


def page_not_found(request, exception=None):
    if request.path.startswith(API_PREFIXES):
        return JsonResponse({"detail": "Not found."}, status=404)
    return HttpResponseNotFound(loader.render_to_string("404.html", {}, request))


def server_error(request):
    # No request: context processors would ask the database, which may be what failed.
    return HttpResponseServerError(loader.get_template("500.html").render({}))

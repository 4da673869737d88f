"""The admin site, asking the permission module who may use it.

Kept apart from ccc/admin.py, which registers models and so imports the admin site itself.
"""

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ccc.permissions import Action, can


class CCCAdminSite(admin.AdminSite):
    site_header = "Care Co-ordination Centre administration"
    site_title = "CCC administration"
    index_title = "Routing, queues and staff"

    def has_permission(self, request) -> bool:
        return can(request.user, Action.ADMINISTER)

    def login(self, request, extra_context=None):
        # One login page for the whole system; a logged-in person without the role is refused.
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))

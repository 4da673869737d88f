from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ccc import second_factor, views
from reporting.views import live_capacity

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/second-factor/", second_factor.second_factor, name="second_factor"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/keepalive/", views.session_keepalive, name="session_keepalive"),
    path("access-log/", views.access_log_page, name="access_log"),
    path("access-log/export.csv", views.access_log_csv, name="access_log_csv"),
    path("admin/", admin.site.urls),
    path("", include("referrals.urls")),
    path("queues/", include("triage.urls")),
    path("", include("escalations.urls")),
    path("dashboard/", include("reporting.urls")),
    path("capacity/", live_capacity, name="live_capacity"),
    path("system/", include("opel.urls")),
    path("directory/", include("directory.urls")),
    path("toc/", include("discharge.urls")),
    path("irr/", include("irr.urls")),
    # Paper for when the system is down: print views and the downtime export (docs/DOWNTIME.md).
    path("paper/", include("reporting.downtime_urls")),
    path("api/v1/", include("ccc.api_urls")),
    # FHIR R4 for referrers' systems (BaRS style): docs/FHIR.md.
    path("fhir/R4/", include("interop.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# Error pages inside the site's frame (ccc/errors.py).
handler403 = "ccc.errors.permission_denied"
handler404 = "ccc.errors.page_not_found"
handler500 = "ccc.errors.server_error"

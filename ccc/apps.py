from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CccConfig(AppConfig):
    default = True
    name = "ccc"
    verbose_name = "Care Co-ordination Centre"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from ccc import patient_access  # noqa: F401  registers the patient page's object rule
        from ccc.middleware import stamp_activity_at_login

        user_logged_in.connect(stamp_activity_at_login, dispatch_uid="ccc-idle-timeout")


class CCCAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with a site that asks our permission module who may use it."""

    default = False
    default_site = "ccc.admin_site.CCCAdminSite"

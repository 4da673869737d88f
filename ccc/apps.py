from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CccConfig(AppConfig):
    default = True
    name = "ccc"
    verbose_name = "Care Co-ordination Centre"


class CCCAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with a site that asks our permission module who may use it."""

    default = False
    default_site = "ccc.admin_site.CCCAdminSite"

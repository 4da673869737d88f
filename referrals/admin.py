from django.contrib import admin

from ccc.admin import AdministeredAdmin
from referrals.models import NeedCategory


@admin.register(NeedCategory)
class NeedCategoryAdmin(AdministeredAdmin):
    list_display = ["name", "group", "code", "is_active"]
    list_filter = ["group", "is_active"]
    prepopulated_fields = {"code": ["name"]}

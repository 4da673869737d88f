from django.contrib import admin

from ccc.admin import AdministeredAdmin
from referrals.models import Contact, FrequentContactRule, NeedCategory


@admin.register(NeedCategory)
class NeedCategoryAdmin(AdministeredAdmin):
    list_display = ["name", "group", "code", "is_active"]
    list_filter = ["group", "is_active"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(FrequentContactRule)
class FrequentContactRuleAdmin(AdministeredAdmin):
    """One rule: when a person is flagged as a frequent contact."""

    list_display = ["__str__", "min_contacts", "within_days"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not FrequentContactRule.objects.exists()


@admin.register(Contact)
class ContactAdmin(AdministeredAdmin):
    """Read only: the contact log is append-only, corrected by call handlers as amendments."""

    list_display = ["reference", "started_at", "caller_name", "caller_type", "outcome", "patient"]
    list_filter = ["outcome", "caller_type", "channel"]
    list_select_related = ["patient"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

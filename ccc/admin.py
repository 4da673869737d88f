"""The administrator's screens: routing rules, queues, need categories, staff.

Django's admin, but behind the same permission module as every other page.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from ccc.accounts import account_unlock, second_factor_reset
from ccc.models import AccessLog, Organisation, Team, User
from ccc.permissions import Action, can


class AdministeredAdmin(SimpleHistoryAdmin):
    """Administrators edit; every change is in history; nothing is hard-deleted."""

    def has_module_permission(self, request) -> bool:
        return can(request.user, Action.ADMINISTER)

    def has_view_permission(self, request, obj=None) -> bool:
        return can(request.user, Action.ADMINISTER)

    def has_add_permission(self, request) -> bool:
        return can(request.user, Action.ADMINISTER)

    def has_change_permission(self, request, obj=None) -> bool:
        return can(request.user, Action.ADMINISTER)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def history_view(self, request, object_id, extra_context=None):
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            return super().history_view(request, object_id, extra_context)
        # A log written once and never changed (who read a sensitive note) keeps no history of its own:
        # Django's own page of admin changes answers for it, rather than simple-history failing on it.
        response = admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        if hasattr(response, "template_name"):
            opts = self.model._meta
            response.template_name = [
                f"admin/{opts.app_label}/{opts.model_name}/object_history.html",
                f"admin/{opts.app_label}/object_history.html",
                "admin/object_history.html",
            ]
        return response


class ConfigurationAdmin(AdministeredAdmin):
    """Configuration rows an administrator may remove, not clinical records: history keeps what was removed."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request)


class SingleRowAdmin(AdministeredAdmin):
    """Settings kept in one row: it can be changed, not added twice."""

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not self.model.objects.exists()


class ReadOnlyAdmin(AdministeredAdmin):
    """Records the system or the people at work write; administrators look."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(AdministeredAdmin):
    list_display = ["name", "kind", "ods_code"]
    list_filter = ["kind"]
    search_fields = ["name", "ods_code"]


@admin.register(Team)
class TeamAdmin(AdministeredAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(User)
class StaffAdmin(AdministeredAdmin, UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "organisation", "team", "is_active", "active_until"]
    list_filter = ["role", "organisation", "is_active"]
    actions = ["unlock", "reset_second_factor"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "email"]}),
        ("Role", {"fields": ["role", "organisation", "team", "is_active", "active_until"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2", "role", "organisation", "team", "active_until"]}),
    ]

    @admin.action(description="Unlock after failed logins")
    def unlock(self, request, queryset) -> None:
        for user in queryset:
            account_unlock(actor=request.user, user=user)
        messages.success(request, f"Unlocked {len(queryset)} account(s): they can log in again at once.")

    @admin.action(description="Reset second factor (lost or new phone)")
    def reset_second_factor(self, request, queryset) -> None:
        for user in queryset:
            second_factor_reset(actor=request.user, user=user)
        messages.success(
            request, f"Reset the second factor of {len(queryset)} account(s): they set up their app again at their next login."
        )

@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """The access log, read-only (the database refuses changes too); the IG page answers by patient."""

    list_display = ["at", "actor", "kind", "record_id", "channel", "rows"]
    list_select_related = ["actor"]
    list_filter = ["kind", "channel"]
    date_hierarchy = "at"

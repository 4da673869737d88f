from django.contrib import admin

from ccc.admin import AdministeredAdmin
from triage.models import DutyQueue, OutOfHoursDate, OutOfHoursPeriod, RoutingRule


@admin.register(DutyQueue)
class DutyQueueAdmin(AdministeredAdmin):
    list_display = [
        "name", "code", "is_active", "has_out_of_hours_cover", "is_out_of_hours_queue", "triage_target_minutes", "team"
    ]
    # Switching a queue on or off takes effect for the next referral; routed ones stay where they are.
    list_editable = ["is_active", "has_out_of_hours_cover"]
    filter_horizontal = ["clinicians"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(RoutingRule)
class RoutingRuleAdmin(AdministeredAdmin):
    list_display = ["need", "queue", "fallback_queue"]
    list_select_related = ["need", "queue", "fallback_queue"]
    list_filter = ["queue"]

    def has_delete_permission(self, request, obj=None) -> bool:
        # Rules are configuration, not clinical records; their history keeps what was removed.
        return super().has_add_permission(request)


class ConfigurationAdmin(AdministeredAdmin):
    """Configuration rows an administrator may remove; their history keeps what was removed."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request)


@admin.register(OutOfHoursPeriod)
class OutOfHoursPeriodAdmin(ConfigurationAdmin):
    list_display = ["__str__", "weekday", "starts", "ends"]


@admin.register(OutOfHoursDate)
class OutOfHoursDateAdmin(ConfigurationAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"

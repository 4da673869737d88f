from django.contrib import admin

from ccc.admin import AdministeredAdmin
from triage.models import DutyQueue, RoutingRule


@admin.register(DutyQueue)
class DutyQueueAdmin(AdministeredAdmin):
    list_display = ["name", "code", "is_active", "triage_target_minutes", "team"]
    list_editable = ["is_active"]
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

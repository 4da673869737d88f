from django.contrib import admin

from ccc.admin import AdministeredAdmin, ReadOnlyAdmin
from ccc.permissions import Action, can
from escalations.models import Clock, Escalation, EscalationLadder, EscalationRung


class RungInline(admin.TabularInline):
    model = EscalationRung
    extra = 0
    min_num = 1
    autocomplete_fields = ["named_users"]

    def has_view_permission(self, request, obj=None) -> bool:
        return can(request.user, Action.ADMINISTER)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(EscalationLadder)
class EscalationLadderAdmin(AdministeredAdmin):
    list_display = ["name", "queue", "warn_at_percent"]
    list_select_related = ["queue"]
    inlines = [RungInline]


@admin.register(Clock)
class ClockAdmin(ReadOnlyAdmin):
    list_display = ["label", "kind", "state", "due_at", "rung", "next_action_at", "failures", "retry_at"]
    list_filter = ["state", "kind", "queue", ("failed_at", admin.EmptyFieldListFilter)]
    list_select_related = ["queue"]
    search_fields = ["label"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["summary", "kind", "rung_name", "fired_at", "acknowledged_by", "de_escalated_at"]
    list_filter = ["kind"]
    list_select_related = ["acknowledged_by"]

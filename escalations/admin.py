from django.contrib import admin

from ccc.admin import AdministeredAdmin
from ccc.permissions import Action, can
from escalations.models import EscalationLadder, EscalationRung


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

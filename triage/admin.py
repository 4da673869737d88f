from django.contrib import admin

from ccc.admin import AdministeredAdmin, ConfigurationAdmin, ReadOnlyAdmin
from triage.models import (
    DutyQueue,
    OutOfHoursDate,
    OutOfHoursPeriod,
    RedFlagQuestion,
    ResponseTarget,
    RoutingRule,
    SensitiveNoteView,
    Shift,
)


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
class RoutingRuleAdmin(ConfigurationAdmin):
    list_display = ["need", "queue", "fallback_queue"]
    list_select_related = ["need", "queue", "fallback_queue"]
    list_filter = ["queue"]


@admin.register(OutOfHoursPeriod)
class OutOfHoursPeriodAdmin(ConfigurationAdmin):
    list_display = ["__str__", "weekday", "starts", "ends"]


@admin.register(OutOfHoursDate)
class OutOfHoursDateAdmin(ConfigurationAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


@admin.register(ResponseTarget)
class ResponseTargetAdmin(AdministeredAdmin):
    list_display = ["queue", "priority", "triage_minutes", "response_minutes", "source"]
    list_editable = ["triage_minutes", "response_minutes"]
    list_select_related = ["queue"]
    list_filter = ["queue"]


@admin.register(RedFlagQuestion)
class RedFlagQuestionAdmin(AdministeredAdmin):
    """Each need's red-flag screen. Switch a question off rather than delete it: referrals keep it as asked."""

    list_display = ["need", "position", "question", "urgency", "is_active"]
    list_editable = ["position", "urgency", "is_active"]
    list_select_related = ["need"]
    list_filter = ["need", "urgency", "is_active"]
    search_fields = ["question"]


@admin.register(Shift)
class ShiftAdmin(AdministeredAdmin):
    list_display = ["name", "code", "starts", "ends", "days"]


@admin.register(SensitiveNoteView)
class SensitiveNoteViewAdmin(ReadOnlyAdmin):
    """The information governance log: read-only, for answering "who read this note?"."""

    list_display = ["viewed_at", "viewed_by", "decision", "channel"]
    list_select_related = ["viewed_by", "decision"]
    list_filter = ["channel"]
    date_hierarchy = "viewed_at"

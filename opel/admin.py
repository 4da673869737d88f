"""Administrators keep the partners, their named leads, triggers and action cards here. Levels are
set on the system page (by hand, with a reason) or by the triggers, never edited in the admin."""

from django.contrib import admin

from ccc.admin import AdministeredAdmin, ReadOnlyAdmin
from opel.models import ActionCard, LevelChange, Partner, Trigger


class TriggerInline(admin.TabularInline):
    model = Trigger
    extra = 1


class ActionCardInline(admin.StackedInline):
    model = ActionCard
    extra = 0


@admin.register(Partner)
class PartnerAdmin(AdministeredAdmin):
    list_display = ["name", "kind", "level", "level_since"]
    fields = ["name", "kind", "leads"]
    filter_horizontal = ["leads"]
    inlines = [TriggerInline, ActionCardInline]


@admin.register(LevelChange)
class LevelChangeAdmin(ReadOnlyAdmin):
    list_display = ["partner", "previous_level", "level", "changed_at", "changed_by"]
    list_select_related = ["partner", "changed_by"]
    list_filter = ["partner"]

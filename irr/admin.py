from django.contrib import admin

from ccc.admin import AdministeredAdmin
from irr.models import TeamCapacity


@admin.register(TeamCapacity)
class TeamCapacityAdmin(AdministeredAdmin):
    list_display = ["team", "open_episodes", "visits_per_day"]
    list_editable = ["open_episodes", "visits_per_day"]
    list_select_related = ["team"]

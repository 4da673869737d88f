"""What administrators configure for Transfer of Care: wards, pathway services and their
capacity, delay reasons, the local targets. Registers and delays are worked on the TOC pages."""

from django.contrib import admin

from ccc.admin import AdministeredAdmin, SingleRowAdmin
from discharge.models import DelayReason, PathwayService, TransferOfCareSettings, Ward


@admin.register(Ward)
class WardAdmin(AdministeredAdmin):
    list_display = ["name", "code", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]


@admin.register(PathwayService)
class PathwayServiceAdmin(AdministeredAdmin):
    list_display = ["name", "pathway", "unit", "capacity", "occupied_by_others", "is_active"]
    list_filter = ["pathway", "is_active"]


@admin.register(DelayReason)
class DelayReasonAdmin(AdministeredAdmin):
    list_display = ["name", "code", "code_set", "is_patient_choice", "is_active"]
    list_filter = ["code_set", "is_active"]


@admin.register(TransferOfCareSettings)
class TransferOfCareSettingsAdmin(SingleRowAdmin):
    """One row of settings, made by the data migration."""

    list_display = ["__str__", "plan_target_hours", "delayed_transfer_target_percent"]

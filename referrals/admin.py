from django.contrib import admin

from ccc.admin import AdministeredAdmin, ConfigurationAdmin, ReadOnlyAdmin, SingleRowAdmin
from referrals.models import (
    CommunityNursingSettings,
    Contact,
    FollowUpPolicy,
    FrequentContactRule,
    NeedCategory,
    PracticeLocality,
)


@admin.register(NeedCategory)
class NeedCategoryAdmin(AdministeredAdmin):
    list_display = ["name", "group", "code", "is_active", "allocate_to_locality_team"]
    list_filter = ["group", "is_active", "allocate_to_locality_team"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(PracticeLocality)
class PracticeLocalityAdmin(ConfigurationAdmin):
    """The practice to locality community nursing team table."""

    list_display = ["practice", "practice_ods_code", "team"]
    list_select_related = ["practice", "team"]
    list_filter = ["team"]
    search_fields = ["practice__name", "practice__ods_code"]
    autocomplete_fields = ["practice"]

    @admin.display(description="ODS code", ordering="practice__ods_code")
    def practice_ods_code(self, obj: PracticeLocality) -> str:
        return obj.practice.ods_code


@admin.register(CommunityNursingSettings)
class CommunityNursingSettingsAdmin(SingleRowAdmin):
    list_display = ["__str__"]


@admin.register(FollowUpPolicy)
class FollowUpPolicyAdmin(SingleRowAdmin):
    list_display = ["default_days", "call_time", "retry_after_minutes", "max_attempts"]


@admin.register(FrequentContactRule)
class FrequentContactRuleAdmin(SingleRowAdmin):
    """One rule: when a person is flagged as a frequent contact."""

    list_display = ["__str__", "min_contacts", "within_days"]


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    """Read only: the contact log is append-only, corrected by call handlers as amendments."""

    list_display = ["reference", "started_at", "caller_name", "caller_type", "outcome", "patient"]
    list_filter = ["outcome", "caller_type", "channel"]
    list_select_related = ["patient"]

"""Administrators keep the directory's categories (taxonomies and their terms) here; services,
organisations and locations have their own pages for directory editors (/directory/)."""

from django.contrib import admin

from ccc.admin import AdministeredAdmin
from directory.models import Signposting, Taxonomy, TaxonomyTerm


@admin.register(Taxonomy)
class TaxonomyAdmin(AdministeredAdmin):
    list_display = ["name", "version"]
    search_fields = ["name"]


@admin.register(TaxonomyTerm)
class TaxonomyTermAdmin(AdministeredAdmin):
    list_display = ["name", "code", "parent", "taxonomy"]
    list_select_related = ["parent", "taxonomy"]
    list_filter = ["taxonomy"]
    search_fields = ["name", "code"]


@admin.register(Signposting)
class SignpostingAdmin(AdministeredAdmin):
    list_display = ["signposted_at", "need", "service", "unmet_need", "referral", "signposted_by"]
    list_select_related = ["service", "referral", "signposted_by"]
    list_filter = ["unmet_need"]
    readonly_fields = [f.name for f in Signposting._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # recorded by call handlers and clinicians, from the directory

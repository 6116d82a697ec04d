from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Startup, StartupFounder, StartupSupport, StEnterprise, StIncentive, StRevenueShare


class RevenueInline(admin.TabularInline):
    model = StRevenueShare
    extra = 0


class IncentiveInline(admin.TabularInline):
    model = StIncentive
    extra = 0


class FounderInline(admin.TabularInline):
    model = StartupFounder
    extra = 0
    raw_id_fields = ("person",)


class SupportInline(admin.TabularInline):
    model = StartupSupport
    extra = 0
    raw_id_fields = ("provider",)


@admin.register(StEnterprise)
class StEnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "certificate_number", "certificate_date", "revoked_on")
    list_filter = ("revoked_on",)
    search_fields = ("certificate_number", "search_text")
    raw_id_fields = ("organization", "issued_by")
    inlines = [RevenueInline, IncentiveInline]

    def get_readonly_fields(self, request, obj=None):
        # A revocation is recorded on the enterprise's page or through the API (the rule
        # `enterprises.revoke_certificate` and `services.revoke`), never by editing these fields here.
        return ("revoked_on", "revocation_reason") if obj is not None else ()


@admin.register(Startup)
class StartupAdmin(SimpleHistoryAdmin):
    list_display = ("name", "field", "stage", "admin_unit")
    list_filter = ("stage",)
    search_fields = ("name", "search_text")
    raw_id_fields = ("organization", "admin_unit")
    inlines = [FounderInline, SupportInline]

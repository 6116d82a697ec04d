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


@admin.register(Startup)
class StartupAdmin(SimpleHistoryAdmin):
    list_display = ("name", "field", "stage", "admin_unit")
    list_filter = ("stage",)
    search_fields = ("name", "search_text")
    raw_id_fields = ("organization", "admin_unit")
    inlines = [FounderInline, SupportInline]

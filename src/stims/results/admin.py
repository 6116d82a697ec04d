from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ApplicationReport, Handover, TaskResult


class HandoverInline(admin.TabularInline):
    model = Handover
    extra = 0
    raw_id_fields = ("receiving_unit", "receiving_organization")
    fields = ("receiving_unit", "receiving_organization", "handed_over_on", "record_number")


class ApplicationReportInline(admin.TabularInline):
    model = ApplicationReport
    extra = 0
    raw_id_fields = ("admin_unit",)
    fields = ("year", "admin_unit", "place", "status", "scale", "reported_on")


@admin.register(TaskResult)
class TaskResultAdmin(SimpleHistoryAdmin):
    list_display = ("name", "task", "kind", "certificate_number", "certificate_date")
    list_filter = ("kind", "task__level")
    search_fields = ("search_text", "certificate_number")
    raw_id_fields = ("task", "ip_asset")
    list_select_related = ("task",)
    inlines = [HandoverInline, ApplicationReportInline]


@admin.register(Handover)
class HandoverAdmin(SimpleHistoryAdmin):
    list_display = ("result", "receiving_unit", "receiving_organization", "handed_over_on", "record_number")
    search_fields = ("result__search_text", "record_number")
    raw_id_fields = ("result", "receiving_unit", "receiving_organization")
    list_select_related = (
        "result",
        "receiving_unit__province",
        "receiving_unit__parent",
        "receiving_organization",
    )
    date_hierarchy = "handed_over_on"


@admin.register(ApplicationReport)
class ApplicationReportAdmin(SimpleHistoryAdmin):
    list_display = ("result", "year", "admin_unit", "status", "scale")
    list_filter = ("status", "year")
    search_fields = ("result__search_text", "place")
    raw_id_fields = ("result", "admin_unit")
    list_select_related = ("result", "admin_unit__province", "admin_unit__parent")

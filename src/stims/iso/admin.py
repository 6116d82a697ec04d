from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import rules as iso_rules
from .models import IsoActivity, IsoCheck, IsoRecord


class ActivityInline(admin.TabularInline):
    model = IsoActivity
    extra = 0


class CheckInline(admin.TabularInline):
    model = IsoCheck
    extra = 0

    # Checks are the department's ISO team's (the rule `iso.record_check`), in the admin too.
    def has_add_permission(self, request, obj=None):
        return iso_rules.has(iso_rules.RECORD_CHECK, request.user, obj) and super().has_add_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return iso_rules.has(iso_rules.RECORD_CHECK, request.user, obj) and super().has_change_permission(
            request, obj
        )


@admin.register(IsoRecord)
class IsoRecordAdmin(SimpleHistoryAdmin):
    list_display = ("agency", "year", "level", "status", "announcement_number")
    list_filter = ("year", "level", "status")
    search_fields = ("search_text", "announcement_number")
    raw_id_fields = ("agency",)
    inlines = [ActivityInline, CheckInline]

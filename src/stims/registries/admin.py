from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Target


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("year", "admin_unit", "indicator", "value")
    list_filter = ("year", "indicator")
    raw_id_fields = ("admin_unit",)

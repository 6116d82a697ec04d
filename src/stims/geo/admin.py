from django.contrib import admin

from .models import AdminUnit, AdminUnitSuccession


@admin.register(AdminUnit)
class AdminUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "generation", "province")
    list_filter = ("generation", "level")
    search_fields = ("code", "name", "search_text")
    raw_id_fields = ("parent", "province")


@admin.register(AdminUnitSuccession)
class AdminUnitSuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "is_principal")
    raw_id_fields = ("predecessor", "successor")

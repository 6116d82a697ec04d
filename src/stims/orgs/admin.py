from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import LocalBody, LocalBodyMember, Organization, Person, Position


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    raw_id_fields = ("organization",)


class MemberInline(admin.TabularInline):
    model = LocalBodyMember
    extra = 0
    raw_id_fields = ("person",)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "admin_unit")
    list_filter = ("kind",)
    search_fields = ("name", "search_text")
    raw_id_fields = ("parent", "admin_unit")


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("full_name", "admin_unit")
    search_fields = ("full_name", "search_text")
    raw_id_fields = ("admin_unit",)
    inlines = [PositionInline]


@admin.register(LocalBody)
class LocalBodyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "admin_unit", "decision_number")
    list_filter = ("kind",)
    search_fields = ("name", "search_text")
    raw_id_fields = ("admin_unit", "decision_issuer")
    inlines = [MemberInline]

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import IpAsset, IpAuthorizedUser, IpRenewal, IpStatus, IpStatusEvent, IpType


@admin.register(IpType)
class IpTypeAdmin(SimpleHistoryAdmin):
    """IP types are data: the term of protection and renewability follow the law, edited here."""

    list_display = (
        "name",
        "code",
        "protection_years",
        "renewable",
        "has_geographic_area",
        "has_management_rules",
        "sort_order",
    )
    list_editable = (
        "protection_years",
        "renewable",
        "has_geographic_area",
        "has_management_rules",
        "sort_order",
    )
    search_fields = ("name", "code")


@admin.register(IpStatus)
class IpStatusAdmin(SimpleHistoryAdmin):
    """Statuses are data: "protected" and "final" drive the workflow (see ip/services.py)."""

    list_display = ("name", "code", "sort_order", "is_protected", "is_final")
    list_editable = ("sort_order", "is_protected", "is_final")
    search_fields = ("name", "code")


class StatusEventInline(admin.TabularInline):
    model = IpStatusEvent
    extra = 0
    can_delete = False
    readonly_fields = ("status", "date", "document", "note")

    def has_add_permission(self, request, obj=None):
        return False  # recorded through the workflow (asset page or API), never here


class RenewalInline(admin.TabularInline):
    model = IpRenewal
    extra = 0
    can_delete = False
    readonly_fields = ("renewed_on", "new_expiry_date", "decision_number")

    def has_add_permission(self, request, obj=None):
        return False


class AuthorizedUserInline(admin.TabularInline):
    model = IpAuthorizedUser
    extra = 0
    raw_id_fields = ("organization",)


@admin.register(IpAsset)
class IpAssetAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "ip_type",
        "status",
        "admin_unit",
        "application_number",
        "title_number",
        "expiry_date",
    )
    list_filter = ("ip_type", "status")
    search_fields = ("name", "search_text", "application_number", "title_number")
    raw_id_fields = ("owner", "admin_unit", "products")
    inlines = [StatusEventInline, RenewalInline, AuthorizedUserInline]

    def get_readonly_fields(self, request, obj=None):
        # An existing asset's status moves through the workflow (asset page or API), not here.
        return ("status", "status_date") if obj is not None else ()

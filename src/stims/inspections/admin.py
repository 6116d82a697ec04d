from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Establishment,
    FollowUp,
    Inspection,
    InspectionDecision,
    InspectionEvent,
    InspectionPlan,
    MeasuringInstrument,
    RadiationLicence,
    RadiationSource,
    Sanction,
    Sector,
    Violation,
    ViolationType,
)


@admin.register(Sector)
class SectorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "code")


@admin.register(ViolationType)
class ViolationTypeAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "sector", "legal_basis", "fine_min", "fine_max", "is_active")
    list_filter = ("sector", "is_active")
    search_fields = ("code", "name", "legal_basis")


@admin.register(Establishment)
class EstablishmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "sector", "admin_unit")
    list_filter = ("sector",)
    search_fields = ("name", "address")
    raw_id_fields = ("organization", "admin_unit")


@admin.register(InspectionPlan)
class InspectionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "year", "sector", "admin_unit")
    list_filter = ("year", "sector")
    raw_id_fields = ("admin_unit",)


@admin.register(InspectionDecision)
class InspectionDecisionAdmin(SimpleHistoryAdmin):
    list_display = ("number", "signed_on", "signer", "plan")


class ViolationInline(admin.TabularInline):
    model = Violation
    extra = 0


class SanctionInline(admin.TabularInline):
    model = Sanction
    extra = 0


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


class EventInline(admin.TabularInline):
    model = InspectionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("action", "from_state", "to_state", "happened_on", "note", "actor", "recorded_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    """The state moves only through the inspection's page or the API (`services.move`)."""

    list_display = ("establishment", "planned_on", "state", "result")
    list_filter = ("state", "result")
    readonly_fields = ("state", "result")
    raw_id_fields = ("establishment", "decision", "lead_inspector")
    filter_horizontal = ("team",)
    inlines = (ViolationInline, SanctionInline, FollowUpInline, EventInline)


@admin.register(MeasuringInstrument)
class MeasuringInstrumentAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "serial_number", "establishment", "verification_due")
    raw_id_fields = ("establishment",)


@admin.register(RadiationSource)
class RadiationSourceAdmin(SimpleHistoryAdmin):
    list_display = ("model_name", "kind", "serial_number", "establishment")
    raw_id_fields = ("establishment",)


@admin.register(RadiationLicence)
class RadiationLicenceAdmin(SimpleHistoryAdmin):
    list_display = ("number", "establishment", "issued_on", "expires_on")
    raw_id_fields = ("establishment",)

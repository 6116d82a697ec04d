from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    AgendaItem,
    Directive,
    DirectiveEvent,
    DirectiveReport,
    LocalityRequest,
    Participant,
    SessionDocument,
    SessionFigure,
    WorkingSession,
)


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    autocomplete_fields = ("person", "organization")


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class SessionFigureInline(admin.TabularInline):
    model = SessionFigure
    extra = 0


@admin.register(WorkingSession)
class WorkingSessionAdmin(SimpleHistoryAdmin):
    list_display = ("held_on", "title", "place", "admin_unit", "host_organization", "chair", "status")
    list_filter = ("status",)
    search_fields = ("title", "search_text")
    date_hierarchy = "held_on"
    autocomplete_fields = ("chair", "host_organization", "admin_unit")
    inlines = [ParticipantInline, AgendaItemInline, SessionFigureInline]


@admin.register(Participant)
class ParticipantAdmin(SimpleHistoryAdmin):
    list_display = ("session", "role", "person", "name", "organization", "position")
    list_filter = ("role",)
    raw_id_fields = ("session", "person", "organization")


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ("session", "order", "title", "presenter")
    raw_id_fields = ("session",)


@admin.register(SessionDocument)
class SessionDocumentAdmin(SimpleHistoryAdmin):
    list_display = ("session", "kind", "number", "issued_on", "title")
    list_filter = ("kind",)
    raw_id_fields = ("session",)


@admin.register(SessionFigure)
class SessionFigureAdmin(SimpleHistoryAdmin):
    list_display = ("session", "label", "value", "unit", "year")
    raw_id_fields = ("session",)


@admin.register(LocalityRequest)
class LocalityRequestAdmin(SimpleHistoryAdmin):
    list_display = ("session", "from_unit", "text", "addressed_to", "status", "responded_on")
    list_filter = ("status",)
    search_fields = ("text", "response")
    raw_id_fields = ("session", "from_unit", "from_organization", "addressed_to")


class DirectiveReportInline(admin.TabularInline):
    """Reports are made and judged through the directive's moves (services.move)."""

    model = DirectiveReport
    extra = 0
    can_delete = False
    fields = (
        "reported_on",
        "text",
        "evidence",
        "reported_by",
        "verdict",
        "reviewed_by",
        "reviewed_on",
        "review_note",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DirectiveEventInline(admin.TabularInline):
    """The timeline is written by services.move only."""

    model = DirectiveEvent
    extra = 0
    can_delete = False
    fields = (
        "happened_on",
        "action",
        "from_state",
        "to_state",
        "previous_deadline",
        "new_deadline",
        "note",
        "actor",
    )
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Directive)
class DirectiveAdmin(SimpleHistoryAdmin):
    list_display = ("text", "lead_organization", "recurrence", "deadline", "state", "assigned_on")
    list_filter = ("state", "recurrence")
    search_fields = ("text", "search_text")
    raw_id_fields = ("session", "request", "task", "product", "ip_asset")
    autocomplete_fields = (
        "lead_organization",
        "supporting_organizations",
        "enterprise",
        "admin_unit",
        "assigned_by_person",
    )
    readonly_fields = ("state", "original_deadline", "done_on")
    inlines = [DirectiveReportInline, DirectiveEventInline]

    def get_readonly_fields(self, request, obj=None):
        # As on the page and in the API (`services.record_problems`): once recorded, who assigned it and
        # the deadline do not change here; the deadline moves by `extend`, on the directive's page.
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *services.frozen_fields(obj)) if obj is not None else fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_by":
            kwargs["queryset"] = services.department_staff()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DirectiveReport)
class DirectiveReportAdmin(SimpleHistoryAdmin):
    list_display = ("directive", "reported_on", "reported_by", "verdict", "reviewed_on")
    list_filter = ("verdict",)
    raw_id_fields = ("directive",)
    # A report is made by the `report` move and judged by `accept`/`return`: its date, author and
    # verdict are the move's, not to be edited here.
    readonly_fields = (
        "directive",
        "reported_on",
        "reported_by",
        "verdict",
        "reviewed_by",
        "reviewed_on",
        "review_note",
    )

    def has_add_permission(self, request):
        return False


@admin.register(DirectiveEvent)
class DirectiveEventAdmin(admin.ModelAdmin):
    """Read-only: an event records a move as it happened."""

    list_display = ("directive", "happened_on", "action", "from_state", "to_state", "actor", "recorded_at")
    list_filter = ("action",)
    raw_id_fields = ("directive", "report")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

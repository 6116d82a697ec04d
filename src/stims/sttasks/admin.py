from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import rules as task_rules
from .models import (
    Document,
    DocumentKind,
    Programme,
    ProgressReport,
    ScienceField,
    Task,
    TaskEvent,
    TaskMember,
    TaskType,
    WorkflowState,
    WorkflowTransition,
)


@admin.register(WorkflowState)
class WorkflowStateAdmin(SimpleHistoryAdmin):
    list_display = ("sort_order", "code", "name", "phase", "is_initial", "is_final", "is_running")
    list_display_links = ("code",)
    list_editable = ("name",)


@admin.register(WorkflowTransition)
class WorkflowTransitionAdmin(SimpleHistoryAdmin):
    list_display = (
        "sort_order",
        "code",
        "name",
        "kind",
        "target",
        "requires_document_kind",
        "guards",
        "allowed_roles",
        "is_active",
    )
    list_display_links = ("code",)
    list_filter = ("kind", "is_active")
    filter_horizontal = ("sources",)


for reference in (TaskType, Programme, ScienceField, DocumentKind):
    admin.register(reference, SimpleHistoryAdmin)


class MemberInline(admin.TabularInline):
    model = TaskMember
    extra = 0
    autocomplete_fields = ("person", "organization")


class EventInline(admin.TabularInline):
    """The timeline is written by the workflow engine only."""

    model = TaskEvent
    extra = 0
    can_delete = False
    fields = ("happened_on", "transition", "from_state", "to_state", "document", "reason", "actor")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(SimpleHistoryAdmin):
    list_display = ("code", "title", "level", "task_type", "state", "proposal_year", "end_date")
    list_filter = ("level", "task_type", "state", "programme", "is_carried_over")
    search_fields = ("code", "title", "search_text")
    autocomplete_fields = (
        "ordering_unit",
        "ordering_organization",
        "lead_organization",
        "principal_investigator",
    )
    readonly_fields = ("state", "state_since", "original_end_date")
    inlines = [MemberInline, EventInline]

    def has_change_permission(self, request, obj=None):
        """Django's model permission, then for one task the same rule as the pages and the API
        (`sttasks.change_task`): the admin is no way around it."""
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or task_rules.has(task_rules.CHANGE_TASK, request.user, obj))


@admin.register(Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ("task", "kind", "number", "issued_on", "signer")
    list_filter = ("kind",)
    search_fields = ("number", "title", "task__code")
    raw_id_fields = ("task",)


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ("task", "period", "due_on", "submitted_on", "percent_complete")
    raw_id_fields = ("task", "document")

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    Agreement,
    BodyMeeting,
    Commitment,
    DocumentReview,
    LegalDocument,
    LocalOfficer,
    Plan,
    Target,
)


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    raw_id_fields = ("admin_unit",)


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "decision_number", "start_year", "end_year", "owner")
    list_filter = ("kind",)
    search_fields = ("search_text",)
    raw_id_fields = ("owner", "admin_unit", "parent", "task_programme")
    inlines = [TargetInline]


class ReviewInline(admin.TabularInline):
    model = DocumentReview
    extra = 0


@admin.register(LegalDocument)
class LegalDocumentAdmin(SimpleHistoryAdmin):
    # The status moves through `services.move_document` (rule `programmes.move_document`), never here.
    list_display = ("number", "title", "doc_type", "issued_on", "role", "status")
    list_filter = ("doc_type", "role", "status")
    search_fields = ("search_text",)
    raw_id_fields = ("organization", "admin_unit", "plan")
    readonly_fields = ("status", "replaced_by")
    inlines = [ReviewInline]


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0
    raw_id_fields = ("directive",)


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ("name", "number", "signed_on", "owner")
    search_fields = ("search_text",)
    raw_id_fields = ("owner", "admin_unit", "plan", "partners")
    inlines = [CommitmentInline]


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ("title", "kind", "held_on", "attendees", "organizer")
    list_filter = ("kind",)
    search_fields = ("search_text",)
    raw_id_fields = ("organizer", "admin_unit", "plan")


@admin.register(BodyMeeting)
class BodyMeetingAdmin(SimpleHistoryAdmin):
    list_display = ("body", "held_on", "attendees")
    raw_id_fields = ("body",)


@admin.register(LocalOfficer)
class LocalOfficerAdmin(SimpleHistoryAdmin):
    list_display = ("person", "admin_unit", "status", "since")
    list_filter = ("status",)
    raw_id_fields = ("person", "admin_unit")

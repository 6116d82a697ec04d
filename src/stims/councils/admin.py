from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import rules as council_rules
from .models import (
    Council,
    CouncilDossier,
    CouncilMember,
    CriteriaSet,
    Criterion,
    RatingLevel,
    Score,
    ScoreSheet,
)


@admin.register(RatingLevel)
class RatingLevelAdmin(SimpleHistoryAdmin):
    """The acceptance scale is data: "counts as passed" decides what an acceptance rating means."""

    list_display = ("name", "code", "is_pass", "sort_order")
    list_editable = ("is_pass", "sort_order")
    search_fields = ("name", "code")


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(CriteriaSet)
class CriteriaSetAdmin(SimpleHistoryAdmin):
    list_display = (
        "name",
        "council_kind",
        "legal_basis",
        "pass_mark",
        "outlier_tolerance",
        "valid_from",
        "valid_to",
    )
    list_filter = ("council_kind",)
    search_fields = ("name", "legal_basis")
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "criteria_set", "max_score", "sort_order")
    list_filter = ("criteria_set",)
    search_fields = ("name", "code")


class MemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    raw_id_fields = ("person", "user")


class DossierInline(admin.TabularInline):
    model = CouncilDossier
    extra = 0
    raw_id_fields = ("task", "applicant")


@admin.register(Council)
class CouncilAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "decision_number", "decision_date", "meeting_date", "concluded_on")
    list_filter = ("kind", "concluded_on")
    search_fields = ("name", "decision_number")
    date_hierarchy = "meeting_date"
    inlines = [MemberInline, DossierInline]
    # Concluded through the council's page or the API (`services.conclude`: the rule CONCLUDE_COUNCIL and
    # every check of the dossiers' outcomes), never by typing a date here.
    readonly_fields = ("concluded_on", "conclusion")


@admin.register(CouncilMember)
class CouncilMemberAdmin(SimpleHistoryAdmin):
    list_display = ("person", "council", "role", "has_conflict", "user")
    list_filter = ("role", "has_conflict", "council__kind")
    search_fields = ("person__full_name", "council__name", "affiliation")
    raw_id_fields = ("council", "person", "user")


@admin.register(CouncilDossier)
class CouncilDossierAdmin(SimpleHistoryAdmin):
    list_display = ("task", "council", "applicant", "passed", "rating")
    list_filter = ("council__kind", "passed", "rating")
    search_fields = ("task__code", "task__title", "council__name")
    raw_id_fields = ("council", "task", "applicant")


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    readonly_fields = ("criterion", "score")

    def has_add_permission(self, request, obj=None):
        return False  # entered through the score sheet page or the API, which check every rule


@admin.register(ScoreSheet)
class ScoreSheetAdmin(SimpleHistoryAdmin):
    """Read here; entered through the score sheet page or the API (every criterion scored, within
    its maximum, by a member without a conflict, before the council concludes)."""

    list_display = ("dossier", "member", "total")
    list_filter = ("dossier__council",)
    search_fields = ("dossier__task__code", "member__person__full_name")
    readonly_fields = ("dossier", "member", "total")
    inlines = [ScoreInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        """As on the page and in the API: the rule DELETE_SHEET, and never once the council concluded."""
        if obj is None or not super().has_delete_permission(request, obj):
            return super().has_delete_permission(request, obj)
        return (
            council_rules.has(council_rules.DELETE_SHEET, request.user, obj.member)
            and not obj.dossier.council.concluded_on
        )

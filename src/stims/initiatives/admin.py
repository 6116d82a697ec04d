from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CouncilRound, Initiative, InitiativeAuthor, RoundMember, ScoreSheet


class AuthorInline(admin.TabularInline):
    model = InitiativeAuthor
    extra = 0


class SheetInline(admin.TabularInline):
    # Sheets are entered through `services.record_sheet` (the rule `initiatives.score`): read-only here.
    model = ScoreSheet
    extra = 0
    can_delete = False
    readonly_fields = ("member", "novelty", "applicability", "benefit", "comment")

    def has_add_permission(self, request, obj=None):
        return False


class MemberInline(admin.TabularInline):
    model = RoundMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    # The state and the decision move through `services.move` (rules `initiatives.review`/`decide`):
    # they are not editable fields, here or anywhere.
    list_display = ("title", "agency", "submitted_on", "state", "decision_number")
    list_filter = ("state", "effect_scope")
    search_fields = ("search_text",)
    raw_id_fields = ("agency", "round")
    readonly_fields = (
        "round",
        "state",
        "decision_number",
        "decision_date",
        "effect_scope",
        "reward",
        "decision_note",
    )
    inlines = [AuthorInline, SheetInline]


@admin.register(CouncilRound)
class CouncilRoundAdmin(SimpleHistoryAdmin):
    list_display = ("name", "year", "admin_unit", "pass_mark")
    list_filter = ("year",)
    search_fields = ("search_text",)
    raw_id_fields = ("admin_unit", "convened_by")
    inlines = [MemberInline]

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    LabellingGuidance,
    OcopEvaluation,
    Product,
    ProductGroup,
    QualityDeclaration,
    StarBand,
    Traceability,
)


@admin.register(ProductGroup)
class ProductGroupAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "sort_order", "is_active")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "code")


@admin.action(description=_("Recompute the stars of every OCOP evaluation from the bands"))
def recompute_stars(modeladmin, request, queryset):
    changed = services.recompute_stars()
    modeladmin.message_user(
        request,
        ngettext("%(count)d evaluation changed.", "%(count)d evaluations changed.", changed)
        % {"count": changed},
        messages.SUCCESS,
    )


@admin.register(StarBand)
class StarBandAdmin(SimpleHistoryAdmin):
    list_display = ("stars", "min_score", "max_score", "valid_from", "valid_to", "legal_basis")
    actions = [recompute_stars]


class EvaluationInline(admin.TabularInline):
    model = OcopEvaluation
    extra = 0
    readonly_fields = ("total_score", "stars")


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ("name", "group", "producer_kind", "admin_unit", "is_key_product", "is_ocop")
    list_filter = ("group", "is_ocop", "is_key_product", "producer_kind")
    search_fields = ("name", "search_text")
    raw_id_fields = ("producer", "admin_unit")
    inlines = [EvaluationInline]


@admin.register(OcopEvaluation)
class OcopEvaluationAdmin(SimpleHistoryAdmin):
    list_display = ("product", "year", "total_score", "stars", "decision_number", "certificate_expiry")
    list_filter = ("stars", "year")
    readonly_fields = ("total_score", "stars")
    raw_id_fields = ("product",)


for model in (Traceability, LabellingGuidance, QualityDeclaration):
    admin.site.register(model, SimpleHistoryAdmin, raw_id_fields=("product",))

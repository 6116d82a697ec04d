from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms import AMOUNT_FIELDS
from .models import Allocation, AllocationSpending, BudgetLine, Disbursement, Settlement, Tranche

CHECKS = {
    BudgetLine: services.check_budget_line,
    Tranche: services.check_tranche,
    Disbursement: services.check_disbursement,
    Settlement: services.check_settlement,
    Allocation: services.check_allocation,
    AllocationSpending: services.check_spending,
}


class FundingAdminForm(forms.ModelForm):
    """The admin obeys the money rules too: the form shows a refusal, the save re-checks it under a lock."""

    def _post_clean(self):
        super()._post_clean()
        if not self.errors:
            try:
                CHECKS[type(self.instance)](self.instance)
            except ValidationError as exc:
                self._update_errors(exc)


class FundingAdmin(SimpleHistoryAdmin):
    form = FundingAdminForm

    def get_form(self, request, obj=None, **kwargs):
        kwargs.setdefault(
            "field_classes", {n: c for n, c in AMOUNT_FIELDS.items() if n in _field_names(self.model)}
        )
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        services.save(obj)

    def delete_model(self, request, obj):
        services.delete(obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                services.delete(obj)

    def get_deleted_objects(self, objs, request):
        # A deletion the money rules refuse is shown like a protected record: the admin then refuses it.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for obj in objs:
            try:
                if isinstance(obj, BudgetLine):
                    services.check_budget_line(obj, removing=True)
                elif isinstance(obj, Disbursement):
                    services.check_disbursement(obj, removing=True)
            except ValidationError as exc:
                protected = [*protected, f"{obj}: {' '.join(exc.messages)}"]
        return deleted, counts, perms_needed, protected


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


@admin.register(BudgetLine)
class BudgetLineAdmin(FundingAdmin):
    list_display = ("task", "year", "source", "amount")
    list_filter = ("source", "year")
    search_fields = ("task__code", "task__title")
    raw_id_fields = ("task",)


class DisbursementInline(admin.TabularInline):
    model = Disbursement
    extra = 0
    can_delete = False
    fields = ("paid_on", "amount", "voucher", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # recorded through the money rules (task page, API or the disbursement admin)


@admin.register(Tranche)
class TrancheAdmin(FundingAdmin):
    list_display = ("task", "number", "planned_on", "amount", "condition")
    search_fields = ("task__code", "task__title")
    raw_id_fields = ("task",)
    inlines = [DisbursementInline]


@admin.register(Disbursement)
class DisbursementAdmin(FundingAdmin):
    list_display = ("task", "tranche", "paid_on", "amount", "voucher")
    list_filter = ("paid_on",)
    date_hierarchy = "paid_on"
    search_fields = ("task__code", "task__title", "voucher")
    raw_id_fields = ("task", "tranche")


@admin.register(Settlement)
class SettlementAdmin(FundingAdmin):
    list_display = ("task", "settled_on", "settled_amount", "returned_amount", "decision_number")
    search_fields = ("task__code", "task__title", "decision_number")
    raw_id_fields = ("task",)


class SpendingInline(admin.TabularInline):
    model = AllocationSpending
    extra = 0
    can_delete = False
    fields = ("spent_on", "amount", "purpose", "task")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # recorded through the money rules (allocation page, API or the spending admin)


@admin.register(Allocation)
class AllocationAdmin(FundingAdmin):
    list_display = (
        "year",
        "recipient_unit",
        "recipient_organization",
        "amount",
        "purpose",
        "decision_number",
    )
    list_filter = ("year",)
    search_fields = ("purpose", "decision_number", "recipient_unit__name", "recipient_organization__name")
    raw_id_fields = ("recipient_unit", "recipient_organization")
    inlines = [SpendingInline]


@admin.register(AllocationSpending)
class AllocationSpendingAdmin(FundingAdmin):
    list_display = ("allocation", "spent_on", "amount", "purpose", "task")
    search_fields = ("purpose", "allocation__purpose")
    raw_id_fields = ("allocation", "task")

from django import forms
from django.core.exceptions import ValidationError

from stims.core.forms import ScopedModelForm, VndField

from . import services
from .models import Allocation, AllocationSpending, BudgetLine, Disbursement, Settlement, Tranche

# Every money field of these forms is whole đồng, typed as people type them (core.forms.VndField).
AMOUNT_FIELDS = {"amount": VndField, "settled_amount": VndField, "returned_amount": VndField}


def add_service_error(form, exc: ValidationError) -> None:
    """A refusal of the services, shown beside the field it concerns (or above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class FundingForm(ScopedModelForm):
    """Saves through `services.save`, so the money rules hold on every page; a refused save raises
    `ValidationError`, which the views show on the form."""

    parent_field = ""  # the record the form hangs under (task, allocation): hidden, and fixed once saved

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.parent_field:
            parent = self.fields[self.parent_field]
            parent.widget = forms.HiddenInput()
            if self.instance.pk is not None:
                parent.disabled = True  # a budget line does not move to another task

    def parent(self):
        """The parent record, from the saved instance, the posted data or the ?task= link."""
        if not self.parent_field:
            return None
        if self.instance.pk is not None:
            return getattr(self.instance, self.parent_field)
        field = self.fields[self.parent_field]
        value = self[self.parent_field].value()
        if value in (None, ""):
            return None
        try:
            return field.queryset.filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def save(self, commit=True):
        instance = super().save(commit=False)
        if commit:
            services.save(instance)
        return instance


class BudgetLineForm(FundingForm):
    parent_field = "task"

    class Meta:
        model = BudgetLine
        fields = ["task", "year", "source", "amount"]
        field_classes = AMOUNT_FIELDS


class TrancheForm(FundingForm):
    parent_field = "task"

    class Meta:
        model = Tranche
        fields = ["task", "number", "planned_on", "amount", "condition"]
        field_classes = AMOUNT_FIELDS


class DisbursementForm(FundingForm):
    parent_field = "task"

    class Meta:
        model = Disbursement
        fields = ["task", "tranche", "paid_on", "amount", "voucher", "note"]
        field_classes = AMOUNT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        task = self.parent()
        tranches = self.fields["tranche"]
        # Only this task's tranches are offered (the model refuses another task's anyway).
        tranches.queryset = (
            tranches.queryset.filter(task=task) if task is not None else tranches.queryset.none()
        )


class SettlementForm(FundingForm):
    parent_field = "task"

    class Meta:
        model = Settlement
        fields = ["task", "settled_on", "settled_amount", "returned_amount", "decision_number", "note"]
        field_classes = AMOUNT_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class AllocationForm(FundingForm):
    class Meta:
        model = Allocation
        fields = [
            "year",
            "recipient_unit",
            "recipient_organization",
            "amount",
            "purpose",
            "decision_number",
            "decision_date",
        ]
        field_classes = AMOUNT_FIELDS


class AllocationSpendingForm(FundingForm):
    parent_field = "allocation"

    class Meta:
        model = AllocationSpending
        fields = ["allocation", "spent_on", "amount", "purpose", "task"]
        field_classes = AMOUNT_FIELDS

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from stims.core import permissions
from stims.core.exports import SafeTableExport
from stims.core.views import (
    ChildRecordMixin,
    DeletedObjectsView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    register_model_view,
)
from stims.sttasks.models import Task

from . import filters, forms, services, tables
from .models import Allocation, AllocationSpending, BudgetLine, Disbursement, Settlement, Tranche


def parent_url(parent) -> str:
    if isinstance(parent, Allocation):
        return reverse("funding:allocation_detail", args=[parent.pk])
    return reverse("sttasks:task_detail", args=[parent.pk])


class ServiceFormMixin:
    """A form whose save goes through the money rules: a refusal is shown on the form, and since the
    save runs in the view's transaction nothing is written."""

    template_name = "funding/form.html"

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as exc:
            forms.add_service_error(form, exc)
            if self.action == permissions.ADD:
                self.object = None
            return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        parent = form.parent()
        context["parent"] = parent
        context["parent_url"] = parent_url(parent) if parent is not None else None
        obj = getattr(self, "object", None)
        context["can_delete"] = (
            obj is not None
            and obj.pk is not None
            and permissions.has_perm(self.request.user, permissions.DELETE, obj)
        )
        context["delete_url"] = self.links(obj)["delete"] if context["can_delete"] else None
        return context


class ChildAddMixin:
    """Child records are added from their parent's page (…/add/?task=12): without a parent the user
    may see, there is nothing to add to (404)."""

    def get(self, request, *args, **kwargs):
        self.object = None
        if self.get_form().parent() is None:
            raise Http404
        return super().get(request, *args, **kwargs)


class ChildSuccessMixin(ChildRecordMixin):
    def get_success_url(self):
        return parent_url(getattr(self.object, self.parent_field))


class ServiceDeleteMixin:
    """Deletion checked by the money rules, in the same transaction as the delete."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                services.check_removal(self.object)
                return super().form_valid(form)
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
            return HttpResponseRedirect(parent_url(getattr(self.object, self.parent_field)))


# --- A task's money: edited from the task's page (links pass ?task=<pk>) -----------------------------------


class BudgetLineRowsMixin:
    def base_queryset(self):
        return BudgetLine.objects.select_related("task")


@register_model_view(BudgetLine, "detail")
class BudgetLineDetailView(BudgetLineRowsMixin, ObjectDetailView):
    model = BudgetLine


@register_model_view(BudgetLine, "add")
class BudgetLineCreateView(ChildAddMixin, ServiceFormMixin, ChildSuccessMixin, ObjectCreateView):
    model = BudgetLine
    form_class = forms.BudgetLineForm
    parent_field = "task"


@register_model_view(BudgetLine, "edit")
class BudgetLineUpdateView(ServiceFormMixin, ChildSuccessMixin, BudgetLineRowsMixin, ObjectUpdateView):
    model = BudgetLine
    form_class = forms.BudgetLineForm
    parent_field = "task"


@register_model_view(BudgetLine, "delete")
class BudgetLineDeleteView(ServiceDeleteMixin, ChildSuccessMixin, BudgetLineRowsMixin, ObjectDeleteView):
    model = BudgetLine
    parent_field = "task"


class TrancheRowsMixin:
    def base_queryset(self):
        return Tranche.objects.select_related("task")


@register_model_view(Tranche, "detail")
class TrancheDetailView(TrancheRowsMixin, ObjectDetailView):
    model = Tranche


@register_model_view(Tranche, "add")
class TrancheCreateView(ChildAddMixin, ServiceFormMixin, ChildSuccessMixin, ObjectCreateView):
    model = Tranche
    form_class = forms.TrancheForm
    parent_field = "task"


@register_model_view(Tranche, "edit")
class TrancheUpdateView(ServiceFormMixin, ChildSuccessMixin, TrancheRowsMixin, ObjectUpdateView):
    model = Tranche
    form_class = forms.TrancheForm
    parent_field = "task"


@register_model_view(Tranche, "delete")
class TrancheDeleteView(ServiceDeleteMixin, ChildSuccessMixin, TrancheRowsMixin, ObjectDeleteView):
    model = Tranche
    parent_field = "task"


class DisbursementRowsMixin:
    def base_queryset(self):
        return Disbursement.objects.select_related("task", "tranche")


@register_model_view(Disbursement, "detail")
class DisbursementDetailView(DisbursementRowsMixin, ObjectDetailView):
    model = Disbursement


@register_model_view(Disbursement, "add")
class DisbursementCreateView(ChildAddMixin, ServiceFormMixin, ChildSuccessMixin, ObjectCreateView):
    model = Disbursement
    form_class = forms.DisbursementForm
    parent_field = "task"


@register_model_view(Disbursement, "edit")
class DisbursementUpdateView(ServiceFormMixin, ChildSuccessMixin, DisbursementRowsMixin, ObjectUpdateView):
    model = Disbursement
    form_class = forms.DisbursementForm
    parent_field = "task"


@register_model_view(Disbursement, "delete")
class DisbursementDeleteView(ServiceDeleteMixin, ChildSuccessMixin, DisbursementRowsMixin, ObjectDeleteView):
    model = Disbursement
    parent_field = "task"


class SettlementRowsMixin:
    def base_queryset(self):
        return Settlement.objects.select_related("task")


@register_model_view(Settlement, "detail")
class SettlementDetailView(SettlementRowsMixin, ObjectDetailView):
    model = Settlement


@register_model_view(Settlement, "add")
class SettlementCreateView(ChildAddMixin, ServiceFormMixin, ChildSuccessMixin, ObjectCreateView):
    model = Settlement
    form_class = forms.SettlementForm
    parent_field = "task"


@register_model_view(Settlement, "edit")
class SettlementUpdateView(ServiceFormMixin, ChildSuccessMixin, SettlementRowsMixin, ObjectUpdateView):
    model = Settlement
    form_class = forms.SettlementForm
    parent_field = "task"


@register_model_view(Settlement, "delete")
class SettlementDeleteView(ServiceDeleteMixin, ChildSuccessMixin, SettlementRowsMixin, ObjectDeleteView):
    model = Settlement
    parent_field = "task"


# --- Allocations --------------------------------------------------------------------------------------


class AllocationRowsMixin:
    def base_queryset(self):
        return services.allocations_with_spent()


@register_model_view(Allocation, "list")
class AllocationListView(AllocationRowsMixin, ObjectListView):
    model = Allocation
    table_class = tables.AllocationTable
    filterset_class = filters.AllocationFilterSet
    template_name = "funding/allocation_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The summary covers every allocation the filters keep, not only this page of the table.
        rows = services.allocations_by_year(self.filterset.qs)
        context["by_year"] = rows
        context["by_year_totals"] = {
            "allocated": sum(r.allocated for r in rows),
            "spent": sum(r.spent for r in rows),
            "remaining": sum(r.remaining for r in rows),
        }
        return context


@register_model_view(Allocation, "detail")
class AllocationDetailView(AllocationRowsMixin, ObjectDetailView):
    model = Allocation
    template_name = "funding/allocation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, allocation = self.request.user, self.object
        spendings = list(allocation.spendings.select_related("task").order_by("spent_on", "pk"))
        context["spendings"] = spendings
        context["spent"] = sum(s.amount for s in spendings)
        context["remaining"] = allocation.amount - context["spent"]
        context["can_add_spending"] = permissions.has_perm(user, permissions.ADD, AllocationSpending)
        context["editable_spendings"] = (
            set(
                permissions.restrict(allocation.spendings.all(), user, permissions.CHANGE).values_list(
                    "pk", flat=True
                )
            )
            if permissions.has_perm(user, permissions.CHANGE, AllocationSpending)
            else set()
        )
        return context


@register_model_view(Allocation, "add")
class AllocationCreateView(ServiceFormMixin, ObjectCreateView):
    model = Allocation
    form_class = forms.AllocationForm


@register_model_view(Allocation, "edit")
class AllocationUpdateView(ServiceFormMixin, AllocationRowsMixin, ObjectUpdateView):
    model = Allocation
    form_class = forms.AllocationForm


@register_model_view(Allocation, "delete")
class AllocationDeleteView(AllocationRowsMixin, ObjectDeleteView):
    model = Allocation


@register_model_view(Allocation, "deleted")
class AllocationDeletedView(DeletedObjectsView):
    model = Allocation


# --- Spendings: edited from their allocation's page (links pass ?allocation=<pk>) ------------------------


class AllocationSpendingRowsMixin:
    def base_queryset(self):
        return AllocationSpending.objects.select_related("allocation", "task")


@register_model_view(AllocationSpending, "detail")
class AllocationSpendingDetailView(AllocationSpendingRowsMixin, ObjectDetailView):
    model = AllocationSpending


@register_model_view(AllocationSpending, "add")
class AllocationSpendingCreateView(ChildAddMixin, ServiceFormMixin, ChildSuccessMixin, ObjectCreateView):
    model = AllocationSpending
    form_class = forms.AllocationSpendingForm
    parent_field = "allocation"


@register_model_view(AllocationSpending, "edit")
class AllocationSpendingUpdateView(
    ServiceFormMixin, ChildSuccessMixin, AllocationSpendingRowsMixin, ObjectUpdateView
):
    model = AllocationSpending
    form_class = forms.AllocationSpendingForm
    parent_field = "allocation"


@register_model_view(AllocationSpending, "delete")
class AllocationSpendingDeleteView(
    ServiceDeleteMixin, ChildSuccessMixin, AllocationSpendingRowsMixin, ObjectDeleteView
):
    model = AllocationSpending
    parent_field = "allocation"


class BudgetByYearView(LoginRequiredMixin, generic.TemplateView):
    """Planned, allocated (tranches) and disbursed per year over the tasks the user may see, filtered
    by level and programme; exportable to CSV and XLSX (`?_export=csv|xlsx`)."""

    template_name = "funding/budget_by_year.html"
    export_formats = ("csv", "xlsx")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, permissions.VIEW, BudgetLine
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def figures(self):
        form = filters.BudgetByYearForm(self.request.GET or None)
        if form.is_bound and not form.is_valid():
            return form, []
        if not form.is_bound:
            form.cleaned_data = {}
        tasks = permissions.restrict(Task.objects.all(), self.request.user, permissions.VIEW)
        tasks = form.filter_tasks(tasks)
        rows = services.budget_by_year(tasks, years=form.years())
        return form, form.keep(rows)

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("_export")
        if export_format in self.export_formats:
            _form, rows = self.figures()
            totals = services.budget_totals(rows)
            table = tables.BudgetYearTable([*rows, totals])
            stamp = timezone.localdate().strftime("%Y%m%d")
            exporter = SafeTableExport(export_format, table, title=_("Budget by year"), totals=1)
            return exporter.response(f"budget-by-year-{stamp}.{export_format}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, rows = self.figures()
        context["form"] = form
        context["table"] = tables.BudgetYearTable(rows, totals=services.budget_totals(rows))
        context["rows"] = rows
        query = self.request.GET.copy()
        query.pop("_export", None)
        context["export_query"] = query.urlencode()
        context["export_formats"] = self.export_formats
        return context

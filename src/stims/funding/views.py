from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.views import generic
from django_tables2.export import TableExport

from stims.core import permissions
from stims.core.views import child_views, model_views
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


class ChildSuccessMixin:
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


def funding_child_views(model, form_class, parent_field, queryset=None):
    views = child_views(model, form_class=form_class, parent_field=parent_field, queryset=queryset)
    views["add"] = type(
        views["add"].__name__, (ChildAddMixin, ServiceFormMixin, ChildSuccessMixin, views["add"]), {}
    )
    views["edit"] = type(views["edit"].__name__, (ServiceFormMixin, ChildSuccessMixin, views["edit"]), {})
    views["delete"] = type(
        views["delete"].__name__, (ServiceDeleteMixin, ChildSuccessMixin, views["delete"]), {}
    )
    return views


budgetline_views = funding_child_views(BudgetLine, forms.BudgetLineForm, "task")
tranche_views = funding_child_views(Tranche, forms.TrancheForm, "task")
disbursement_views = funding_child_views(
    Disbursement,
    forms.DisbursementForm,
    "task",
    queryset=lambda: Disbursement.objects.select_related("task", "tranche"),
)
settlement_views = funding_child_views(Settlement, forms.SettlementForm, "task")
spending_views = funding_child_views(
    AllocationSpending,
    forms.AllocationSpendingForm,
    "allocation",
    queryset=lambda: AllocationSpending.objects.select_related("allocation", "task"),
)


allocation_views = model_views(
    Allocation,
    form_class=forms.AllocationForm,
    table_class=tables.AllocationTable,
    filterset_class=filters.AllocationFilterSet,
    queryset=services.allocations_with_spent,
)


class AllocationListView(allocation_views["list"]):
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


class AllocationDetailView(allocation_views["detail"]):
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


class AllocationCreateView(ServiceFormMixin, allocation_views["add"]):
    pass


class AllocationUpdateView(ServiceFormMixin, allocation_views["edit"]):
    pass


allocation_views.update(
    list=AllocationListView, detail=AllocationDetailView, add=AllocationCreateView, edit=AllocationUpdateView
)


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
            return TableExport(export_format, table).response(f"budget-by-year-{stamp}.{export_format}")
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

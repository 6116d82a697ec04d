from itertools import groupby

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views import generic
from django_tables2 import RequestConfig

from stims.core import permissions
from stims.core.exports import SafeTableExport
from stims.core.files import protected_download
from stims.core.search import ranked
from stims.core.views import (
    ChildRecordMixin,
    DeletedObjectsView,
    ModelPermissionMixin,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    SearchOptionsView,
    register_model_view,
)
from stims.sttasks.models import Task

from . import filters, forms, services, tables
from .models import ApplicationReport, Handover, TaskResult


def _result_rows():
    return TaskResult.objects.select_related("task", "ip_asset")


def _handover_rows():
    return Handover.objects.select_related(
        "result__task", "receiving_unit__province", "receiving_unit__parent", "receiving_organization"
    )


def _report_rows():
    return ApplicationReport.objects.select_related(
        "result__task", "admin_unit__province", "admin_unit__parent"
    )


class VisibleResultsMixin:
    """Results are seen by whoever may see them, their handovers or their application reports
    (`services.visible_results`): a commune's officer opens the results handed over to the commune."""

    def get_queryset(self):
        return services.visible_results(self.request.user, self.base_queryset())


class TaskPageOrResultMixin:
    """A result is added and edited from its task's page and goes back there; until the task pages are
    installed, back to the result's own page."""

    def get_success_url(self):
        try:
            return self.object.task.get_absolute_url()
        except NoReverseMatch:
            return reverse("results:taskresult_detail", args=[self.object.pk])


class _DeleteToListMixin:
    def get_success_url(self):
        try:
            return super().get_success_url()
        except NoReverseMatch:
            return reverse("results:taskresult_list")


def _task_url(task) -> str | None:
    try:
        return task.get_absolute_url()
    except NoReverseMatch:  # the task pages are not installed
        return None


# --- Results: listed here, added and edited from their task's page ----------------------------------------


class TaskResultRowsMixin:
    def base_queryset(self):
        return _result_rows()


@register_model_view(TaskResult, "list")
class TaskResultListView(VisibleResultsMixin, TaskResultRowsMixin, ObjectListView):
    model = TaskResult
    table_class = tables.TaskResultTable
    filterset_class = filters.TaskResultFilterSet

    def get_queryset(self):
        return services.with_result_figures(super().get_queryset(), self.request.user).order_by(
            "-task__proposal_year", "task__code", "pk"
        )


@register_model_view(TaskResult, "detail")
class TaskResultDetailView(VisibleResultsMixin, TaskResultRowsMixin, ObjectDetailView):
    model = TaskResult

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, result = self.request.user, self.object
        handovers = list(
            permissions.restrict(_handover_rows().filter(result=result), user).order_by(
                "handed_over_on", "pk"
            )
        )
        reports = list(
            permissions.restrict(_report_rows().filter(result=result), user).order_by(
                "-year", "admin_unit__name", "pk"
            )
        )
        changeable_handovers = set(
            permissions.restrict(
                Handover.objects.filter(result=result), user, permissions.CHANGE
            ).values_list("pk", flat=True)
        )
        changeable_reports = set(
            permissions.restrict(
                ApplicationReport.objects.filter(result=result), user, permissions.CHANGE
            ).values_list("pk", flat=True)
        )
        for handover in handovers:
            handover.can_change = handover.pk in changeable_handovers
        for report in reports:
            report.can_change = report.pk in changeable_reports
        context["handovers"] = handovers
        context["reports_by_year"] = [
            (year, list(rows)) for year, rows in groupby(reports, key=lambda r: r.year)
        ]
        context["can_add_handover"] = context["can_change"] and permissions.has_perm(
            user, permissions.ADD, Handover
        )
        context["can_add_report"] = services.may_report_application(user, result)
        context["task_url"] = (
            _task_url(result.task) if permissions.has_perm(user, permissions.VIEW, result.task) else None
        )
        return context


@register_model_view(TaskResult, "add")
class TaskResultCreateView(TaskPageOrResultMixin, ChildRecordMixin, ObjectCreateView):
    model = TaskResult
    form_class = forms.TaskResultForm
    parent_field = "task"


@register_model_view(TaskResult, "edit")
class TaskResultUpdateView(TaskPageOrResultMixin, ChildRecordMixin, TaskResultRowsMixin, ObjectUpdateView):
    model = TaskResult
    form_class = forms.TaskResultForm
    parent_field = "task"


@register_model_view(TaskResult, "delete")
class TaskResultDeleteView(_DeleteToListMixin, ChildRecordMixin, TaskResultRowsMixin, ObjectDeleteView):
    model = TaskResult
    parent_field = "task"


@register_model_view(TaskResult, "deleted")
class TaskResultDeletedView(DeletedObjectsView):
    model = TaskResult


# --- Handovers and application reports: on their result's page ------------------------------------------


class HandoverRowsMixin:
    def base_queryset(self):
        return _handover_rows()


@register_model_view(Handover, "detail")
class HandoverDetailView(HandoverRowsMixin, ObjectDetailView):
    model = Handover


@register_model_view(Handover, "add")
class HandoverCreateView(ChildRecordMixin, ObjectCreateView):
    model = Handover
    form_class = forms.HandoverForm
    parent_field = "result"
    template_name = "results/upload_form.html"  # the handover record is uploaded with the form


@register_model_view(Handover, "edit")
class HandoverUpdateView(ChildRecordMixin, HandoverRowsMixin, ObjectUpdateView):
    model = Handover
    form_class = forms.HandoverForm
    parent_field = "result"
    template_name = "results/upload_form.html"  # the handover record is uploaded with the form


@register_model_view(Handover, "delete")
class HandoverDeleteView(ChildRecordMixin, HandoverRowsMixin, ObjectDeleteView):
    model = Handover
    parent_field = "result"


class ApplicationReportRowsMixin:
    def base_queryset(self):
        return _report_rows()


@register_model_view(ApplicationReport, "detail")
class ApplicationReportDetailView(ApplicationReportRowsMixin, ObjectDetailView):
    model = ApplicationReport


@register_model_view(ApplicationReport, "add")
class ApplicationReportCreateView(ChildRecordMixin, ObjectCreateView):
    model = ApplicationReport
    form_class = forms.ApplicationReportForm
    parent_field = "result"


@register_model_view(ApplicationReport, "edit")
class ApplicationReportUpdateView(ChildRecordMixin, ApplicationReportRowsMixin, ObjectUpdateView):
    model = ApplicationReport
    form_class = forms.ApplicationReportForm
    parent_field = "result"


@register_model_view(ApplicationReport, "delete")
class ApplicationReportDeleteView(ChildRecordMixin, ApplicationReportRowsMixin, ObjectDeleteView):
    model = ApplicationReport
    parent_field = "result"


class HandoverRecordView(LoginRequiredMixin, generic.View):
    """The handover record's file, only to whoever may see the handover (404 otherwise)."""

    def get(self, request, pk):
        handover = get_object_or_404(Handover.objects.select_related("result"), pk=pk)
        return protected_download(request, handover, "record_file")


# --- Search boxes of the forms --------------------------------------------------------------------
class TaskOptionsView(SearchOptionsView):
    """Tasks a result can be recorded on: those the user may change."""

    model = Task
    action = permissions.CHANGE


class TaskResultOptionsView(LoginRequiredMixin, generic.TemplateView):
    """Results for the result box of the handover form (results the user may change) and of the
    application report form (results the user may report on, `?for=results.applicationreport`)."""

    template_name = "core/select_options.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, query = self.request.user, self.request.GET.get("q", "")
        if self.request.GET.get("for") == permissions.label_of(ApplicationReport):
            rows = services.reportable_results(user)
        else:
            rows = permissions.restrict(TaskResult.objects.all(), user, permissions.CHANGE)
        context["options"] = list(ranked(rows, query)[:30]) if query.strip() else []
        return context


# --- Replication ----------------------------------------------------------------------------------
class ReplicationView(ModelPermissionMixin, generic.TemplateView):
    """How many accepted results are actually applied, and where: the figures, a table by locality and
    the results handed over but never reported applied; filtered by years and unit; exportable
    (`?_export=csv|xlsx&table=localities|never_applied`)."""

    model = ApplicationReport
    template_name = "results/replication.html"
    export_formats = ("csv", "xlsx")

    def figures(self):
        user, params = self.request.user, self.request.GET
        visible_reports = permissions.restrict(ApplicationReport.objects.all(), user)
        visible_handovers = permissions.restrict(Handover.objects.all(), user)
        report_filter = filters.ReplicationReportFilterSet(params, queryset=visible_reports)
        reports = report_filter.qs
        handovers = filters.ReplicationHandoverFilterSet(params, queryset=visible_handovers).qs
        # "Never applied" means in no year: only the unit narrows the reports that would say otherwise.
        unit_only = {key: params[key] for key in ("unit",) if params.get(key)}
        reports_any_year = filters.ReplicationReportFilterSet(unit_only, queryset=visible_reports).qs
        results = services.visible_results(user)
        accepted = services.accepted_results(Task.objects.all()).filter(pk__in=results.values("pk"))
        summary = services.replication_summary(
            Task.objects.all(), results=results, handovers=handovers, reports=reports
        )
        rows = services.application_by_unit(reports.filter(result__in=accepted.values("pk")))
        never = services.never_applied(
            accepted.select_related("task"), handovers=handovers, reports=reports_any_year
        ).order_by("first_handed_over_on", "pk")
        return report_filter, summary, rows, never

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("_export")
        if export_format in self.export_formats:
            which = request.GET.get("table", "localities")
            if which not in {"localities", "never_applied"}:
                raise Http404
            _filter, _summary, rows, never = self.figures()
            table = tables.LocalityTable(rows) if which == "localities" else tables.NeverAppliedTable(never)
            title = _("Application by locality") if which == "localities" else _("Never applied")
            return SafeTableExport(export_format, table, title=title).response(f"{which}.{export_format}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report_filter, summary, rows, never = self.figures()
        never_table = tables.NeverAppliedTable(never, prefix="never-")
        RequestConfig(self.request, paginate={"per_page": 50}).configure(never_table)
        query = self.request.GET.copy()
        for key in ("_export", "table"):
            query.pop(key, None)
        context.update(
            filter=report_filter,
            summary=summary,
            locality_table=tables.LocalityTable(rows),
            never_table=never_table,
            export_formats=self.export_formats,
            export_query=query.urlencode(),
        )
        return context

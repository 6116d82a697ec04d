import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import generic
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from stims.core import aggregates, permissions
from stims.core import rules as core_rules
from stims.core.db_routing import ReadsFromReplica
from stims.core.exports import SafeTableExport
from stims.core.files import protected_download
from stims.core.views import (
    ChildRecordMixin,
    DeletedObjectsView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    SearchOptionsView,
    register_model_view,
)

from . import deadlines, filters, forms, proposals, tables, workflow
from . import rules as task_rules
from .models import Call, Document, ProgressReport, Task, TaskMember, WorkflowState, WorkflowTransition
from .panels import MY_ACTIONS, PAGE_SECTIONS, PANELS, SUMMARY_END, SUMMARY_SIDE, page_sections


def task_rows():
    return Task.objects.select_related(
        "task_type",
        "state",
        "programme",
        "field",
        "ordering_unit",
        "ordering_organization",
        "lead_organization",
        "principal_investigator",
        "officer",
        "call",
    )


def step_choices(task, user) -> list[dict]:
    """The active steps out of the task's state that this user's roles may take, each with what stops
    them taking it now (a step of another role's is not offered at all, not even greyed out)."""
    steps = (
        WorkflowTransition.objects.filter(is_active=True, sources=task.state_id)
        .select_related("requires_document_kind", "target")
        .prefetch_related("sources")
        .order_by("sort_order")
    )
    return [
        {"step": step, "problems": workflow.problems(task, step, user, check_inputs=False)}
        for step in steps
        if task_rules.holds_a_role_of_the_step(user, task_rules.StepOnTask(task, step))
    ]


# --- Tasks --------------------------------------------------------------------------------------------


class TaskRowsMixin:
    def base_queryset(self):
        return task_rows()


@register_model_view(Task, "list")
class TaskListView(TaskRowsMixin, ObjectListView):
    model = Task
    table_class = tables.TaskTable
    filterset_class = filters.TaskFilterSet


@register_model_view(Task, "detail")
class TaskDetailView(TaskRowsMixin, ObjectDetailView):
    model = Task

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task, user, request = self.object, self.request.user, self.request
        today = timezone.localdate()
        context["events"] = list(
            task.events.select_related(
                "transition", "from_state", "to_state", "document__kind", "actor"
            ).order_by("happened_on", "pk")
        )
        context["members"] = list(task.members.select_related("person", "organization"))
        context["documents"] = list(task.documents.select_related("kind"))
        context["progress_reports"] = reports = list(task.progress_reports.select_related("document"))
        context["overdue"] = deadlines.task_deadlines(task, reports, today, end=today)
        context["upcoming"] = deadlines.task_deadlines(
            task, reports, today, start=today, end=today + datetime.timedelta(days=60)
        )
        context["steps"] = step_choices(task, user) if context["can_change"] else []
        context["today"] = today
        for key, model in {"member": TaskMember, "document": Document, "report": ProgressReport}.items():
            context[f"can_add_{key}"] = context["can_change"] and permissions.has_perm(
                user, permissions.ADD, model
            )
            context[f"can_change_{key}"] = permissions.has_perm(user, permissions.CHANGE, model)
        context["panels"] = [(panel, panel.context(request, task)) for panel in PANELS]
        context["can_submit"] = task_rules.has(task_rules.SUBMIT_PROPOSAL, user, task)
        context["submit_problems"] = proposals.submit_problems(task, user) if context["can_submit"] else []
        context["can_return"] = task_rules.has(task_rules.RETURN_PROPOSAL, user, task)
        if context["can_change"] and not task_rules.has(task_rules.CHANGE_TASK, user, task):
            # The role matrix lets this user change the task's papers and take their steps, but the task's
            # own facts only under `sttasks.change_task`: no "Edit" button that would answer 403.
            context["links"] = {**context["links"], "edit": None}
        return context


@register_model_view(Task, "add")
class TaskCreateView(ObjectCreateView):
    model = Task
    form_class = forms.TaskForm


@register_model_view(Task, "edit")
class TaskUpdateView(TaskRowsMixin, ObjectUpdateView):
    """A task's facts, edited under the rule `sttasks.change_task` (see `rules.py`): a locality edits
    its proposal until the department takes it on; after that only the department's staff do."""

    model = Task
    form_class = forms.TaskForm

    def get_object(self, queryset=None):
        task = super().get_object(queryset)
        if not task_rules.has(task_rules.CHANGE_TASK, self.request.user, task):
            if task.state.is_initial and task.submitted_at is not None:
                raise core_rules.RuleRefused(
                    _("This proposal was sent to the department: it can be edited again only if returned.")
                )
            raise core_rules.deny(task_rules.CHANGE_TASK)
        return task


class ProposalActionView(LoginRequiredMixin, generic.View):
    """A button on the task page that acts on a proposal, then goes back to the task."""

    def post(self, request, pk):
        task = get_object_or_404(permissions.restrict(task_rows(), request.user), pk=pk)
        try:
            self.act(task, request)
        except ValidationError as refused:
            for message in refused.messages:
                messages.error(request, message)
        return HttpResponseRedirect(task.get_absolute_url())


class SubmitProposalView(ProposalActionView):
    """ "Gửi Sở": the proposing locality sends its proposal to the department (`proposals.submit_proposal`)."""

    def act(self, task, request):
        proposals.submit_proposal(task, request.user)
        messages.success(request, _("The proposal was sent to the department."))


class ReturnProposalView(ProposalActionView):
    """The department returns a sent proposal to the locality, with the reason."""

    def act(self, task, request):
        proposals.return_proposal(task, request.user, request.POST.get("reason", ""))
        messages.success(request, _("The proposal was returned to the locality."))


@register_model_view(Task, "delete")
class TaskDeleteView(TaskRowsMixin, ObjectDeleteView):
    model = Task


@register_model_view(Task, "deleted")
class TaskDeletedView(DeletedObjectsView):
    model = Task


# --- Members, documents and progress reports: on their task's page -----------------------------------------


class TaskMemberRowsMixin:
    def base_queryset(self):
        return TaskMember.objects.select_related("task", "person", "organization")


@register_model_view(TaskMember, "detail")
class TaskMemberDetailView(TaskMemberRowsMixin, ObjectDetailView):
    model = TaskMember


@register_model_view(TaskMember, "add")
class TaskMemberCreateView(ChildRecordMixin, ObjectCreateView):
    model = TaskMember
    form_class = forms.TaskMemberForm
    parent_field = "task"


@register_model_view(TaskMember, "edit")
class TaskMemberUpdateView(ChildRecordMixin, TaskMemberRowsMixin, ObjectUpdateView):
    model = TaskMember
    form_class = forms.TaskMemberForm
    parent_field = "task"


@register_model_view(TaskMember, "delete")
class TaskMemberDeleteView(ChildRecordMixin, TaskMemberRowsMixin, ObjectDeleteView):
    model = TaskMember
    parent_field = "task"


class DocumentRowsMixin:
    def base_queryset(self):
        return Document.objects.select_related("task", "kind")


@register_model_view(Document, "detail")
class DocumentDetailView(DocumentRowsMixin, ObjectDetailView):
    model = Document


@register_model_view(Document, "add")
class DocumentCreateView(ChildRecordMixin, ObjectCreateView):
    model = Document
    form_class = forms.DocumentForm
    parent_field = "task"

    def get_success_url(self):
        # Opened from a workflow step ("Attach the document first", ?next=<the step's page>): back to the
        # step, with the new document picked and what was typed there kept (StepView.draft).
        back = self.request.POST.get("next") or self.request.GET.get("next", "")
        if back.startswith("/") and url_has_allowed_host_and_scheme(
            back, allowed_hosts={self.request.get_host()}
        ):
            return f"{back}{'&' if '?' in back else '?'}{urlencode({'document': self.object.pk})}"
        return super().get_success_url()


@register_model_view(Document, "edit")
class DocumentUpdateView(ChildRecordMixin, DocumentRowsMixin, ObjectUpdateView):
    model = Document
    form_class = forms.DocumentForm
    parent_field = "task"


@register_model_view(Document, "delete")
class DocumentDeleteView(ChildRecordMixin, DocumentRowsMixin, ObjectDeleteView):
    model = Document
    parent_field = "task"


class ProgressReportRowsMixin:
    def base_queryset(self):
        return ProgressReport.objects.select_related("task", "document")


@register_model_view(ProgressReport, "detail")
class ProgressReportDetailView(ProgressReportRowsMixin, ObjectDetailView):
    model = ProgressReport


@register_model_view(ProgressReport, "add")
class ProgressReportCreateView(ChildRecordMixin, ObjectCreateView):
    model = ProgressReport
    form_class = forms.ProgressReportForm
    parent_field = "task"


@register_model_view(ProgressReport, "edit")
class ProgressReportUpdateView(ChildRecordMixin, ProgressReportRowsMixin, ObjectUpdateView):
    model = ProgressReport
    form_class = forms.ProgressReportForm
    parent_field = "task"


@register_model_view(ProgressReport, "delete")
class ProgressReportDeleteView(ChildRecordMixin, ProgressReportRowsMixin, ObjectDeleteView):
    model = ProgressReport
    parent_field = "task"


# --- Calls for proposals --------------------------------------------------------------------------------


class CallRowsMixin:
    def base_queryset(self):
        return Call.objects.select_related("task_type", "programme")


@register_model_view(Call, "list")
class CallListView(CallRowsMixin, ObjectListView):
    model = Call
    table_class = tables.CallTable
    filterset_class = filters.CallFilterSet


@register_model_view(Call, "detail")
class CallDetailView(CallRowsMixin, ObjectDetailView):
    model = Call

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["answering_tasks"] = list(
            permissions.restrict(self.object.tasks.select_related("state"), self.request.user)
        )
        return context


@register_model_view(Call, "add")
class CallCreateView(ObjectCreateView):
    model = Call
    form_class = forms.CallForm


@register_model_view(Call, "edit")
class CallUpdateView(CallRowsMixin, ObjectUpdateView):
    model = Call
    form_class = forms.CallForm


@register_model_view(Call, "delete")
class CallDeleteView(CallRowsMixin, ObjectDeleteView):
    model = Call


@register_model_view(Call, "deleted")
class CallDeletedView(DeletedObjectsView):
    model = Call


class TaskOptionsView(SearchOptionsView):
    """Options for the task search box of other records' forms (documents, budgets, results…)."""

    model = Task


class DocumentDownloadView(LoginRequiredMixin, generic.View):
    def get(self, request, pk):
        return protected_download(request, get_object_or_404(Document, pk=pk))


STEP_FIELDS = ("happened_on", "document", "reason", "new_end_date")


class StepView(LoginRequiredMixin, generic.TemplateView):
    """One workflow step on one task: a form for its date, document and reason; refusals listed."""

    template_name = "sttasks/step_form.html"

    def setup_step(self):
        visible = permissions.restrict(task_rows(), self.request.user)
        self.task = get_object_or_404(visible, pk=self.kwargs["pk"])
        permissions.require(self.request.user, permissions.CHANGE, self.task)
        self.transition = get_object_or_404(
            WorkflowTransition.objects.select_related("requires_document_kind", "target").prefetch_related(
                "sources"
            ),
            code=self.kwargs["code"],
        )

    # What a person typed in the step form is kept while they go to attach the document it needs
    # ("Attach the document first") and comes back: in the session, per task and step, until the step is
    # taken; the attached document comes back as ?document=<id> and is picked.
    DRAFT_FIELDS = ("happened_on", "document", "reason", "new_end_date")

    def draft_key(self) -> str:
        return f"sttasks:step-draft:{self.task.pk}:{self.transition.code}"

    def draft(self) -> dict:
        initial = dict(self.request.session.get(self.draft_key(), {}))
        document = self.request.GET.get("document", "")
        if document.isdigit():
            initial["document"] = document
        return initial

    def detour_to_attach(self, request):
        """Keep the typed values, then open the document form, which comes back here once it is saved."""
        request.session[self.draft_key()] = {
            name: request.POST[name] for name in self.DRAFT_FIELDS if name in request.POST
        }
        query = {"task": self.task.pk, "next": request.path}
        if self.transition.requires_document_kind_id:
            query["kind"] = self.transition.requires_document_kind_id
        return HttpResponseRedirect(f"{reverse('sttasks:document_add')}?{urlencode(query)}")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(task=self.task, step=self.transition)
        # Back from the "attach the document first" detour, the form shows what was typed before it: kept in
        # the session by the detour button, or carried in the query string by the link.
        typed = {name: value for name, value in self.request.GET.items() if name in STEP_FIELDS}
        context.setdefault(
            "form",
            forms.StepForm(initial={**self.draft(), **typed}, task=self.task, transition=self.transition),
        )
        context.setdefault(
            "refusals", workflow.problems(self.task, self.transition, self.request.user, check_inputs=False)
        )
        context["guards"] = [
            workflow.GUARDS[name].label for name in self.transition.guard_names if name in workflow.GUARDS
        ]
        return context

    def get(self, request, *args, **kwargs):
        self.setup_step()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_step()
        if "attach_document" in request.POST:
            return self.detour_to_attach(request)
        form = forms.StepForm(request.POST, task=self.task, transition=self.transition)
        if form.is_valid():
            data = form.cleaned_data
            try:
                workflow.perform(
                    self.task,
                    self.transition,
                    request.user,
                    happened_on=data["happened_on"],
                    document=data.get("document"),
                    reason=data.get("reason", ""),
                    new_end_date=data.get("new_end_date"),
                )
            except workflow.StepRefused as refused:
                return self.render_to_response(self.get_context_data(form=form, refusals=refused.messages))
            request.session.pop(self.draft_key(), None)
            messages.success(
                request,
                _("“%(step)s” recorded for %(task)s.")
                % {"step": self.transition.name, "task": self.task.code},
            )
            return HttpResponseRedirect(self.task.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class TaskScopeMixin(LoginRequiredMixin):
    """Pages over the tasks the user may see; refused (403) to a user with no grant on tasks."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(request.user, permissions.VIEW, Task):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def visible_tasks(self):
        return permissions.restrict(Task.objects.all(), self.request.user)


class OverdueView(TaskScopeMixin, ExportMixin, SingleTableMixin, generic.TemplateView):
    """Everything overdue today: progress reports not in, end dates passed, acceptance late."""

    template_name = "sttasks/overdue.html"
    table_class = tables.DeadlineTable
    table_pagination = {"per_page": 50}
    export_formats = ("csv", "xlsx")
    export_class = SafeTableExport

    def get_dataset_kwargs(self):
        return {"title": _("Overdue")}

    def get_export_filename(self, export_format):
        return f"overdue-{timezone.localdate():%Y%m%d}.{export_format}"

    def get_table_data(self):
        return deadlines.overdue(self.visible_tasks(), timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = deadlines.overdue_counts(self.visible_tasks(), timezone.localdate())
        context["counts"] = [(deadlines.LABELS[kind], count) for kind, count in counts.items()]
        context["limit"] = deadlines.LIST_LIMIT
        return context


class MyActionsView(TaskScopeMixin, generic.TemplateView):
    """What needs this user's action: deadlines of the tasks they follow, score sheets they owe,
    and their unread notifications."""

    template_name = "sttasks/my_actions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        mine = self.visible_tasks().filter(officer=user)
        context["overdue"] = deadlines.overdue(mine, today)
        context["upcoming"] = deadlines.upcoming(mine, today, days=30)
        context["followed_count"] = mine.count()
        # What other apps ask of this user (councils: the score sheets they owe).
        context["action_sections"], sections = page_sections(MY_ACTIONS, self.request, self.visible_tasks())
        context.update(sections)
        context["notifications"] = list(user.notifications.filter(read_at__isnull=True, shown=True)[:50])
        return context


class SummaryView(ReadsFromReplica, TaskScopeMixin, generic.TemplateView):
    """The leader's view: tasks by state, level, type, programme, field, lead organization and
    ordering locality; what is overdue; and what other apps add (funding: the budget by year; results:
    how many results are applied; see `panels.PAGE_SECTIONS`)."""

    template_name = "sttasks/summary.html"
    TOP = 15

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        tasks = self.visible_tasks()
        year_from, year_to = self._year(self.request.GET.get("from")), self._year(self.request.GET.get("to"))
        level = self.request.GET.get("level", "")
        if year_from:
            tasks = tasks.filter(proposal_year__gte=year_from)
        if year_to:
            tasks = tasks.filter(proposal_year__lte=year_to)
        if level in dict(Task._meta.get_field("level").choices):
            tasks = tasks.filter(level=level)
        context.update(
            year_from=year_from or "",
            year_to=year_to or "",
            level=level,
            levels=Task._meta.get_field("level").choices,
        )
        # The counts are kept in the cache while no table they read changes (core.aggregates), per
        # scope of visibility and filters; the apps' sections say which app they read from. They are
        # counts by key (state, type, organization…): the names are read apart (`_named_figures`), so
        # that a user who adds or renames an organization is not made to wait for every task to be
        # counted again (their own write is to a table the counts do not read).
        request = self.request
        sections = [s for s in PAGE_SECTIONS if s.page in (SUMMARY_SIDE, SUMMARY_END)]
        counts = aggregates.cached(
            "sttasks.summary",
            lambda: self._counts(tasks, today, request),
            # The results' section counts the localities applying them (their units).
            depends_on=[
                Task,
                WorkflowState,
                ProgressReport,
                "geo",
                *{aggregates.app_of(s.context) for s in sections},
            ],
            scope=aggregates.scope_of(request.user),
            parts=[year_from, year_to, level, today],
            stale_for=request.user,
        )
        context.update(self._named_figures(counts))
        context["query"] = self.request.GET.urlencode()
        return context

    # The summary's breakdowns: (field, label field or None for the level's choices, top n).
    BREAKDOWNS = [
        ("level", None, None),
        ("task_type", "name", None),
        ("programme", "name", None),
        ("field", "name", None),
        ("lead_organization", "name", TOP),
        ("ordering_unit", "name", TOP),
    ]

    def _counts(self, tasks, today, request) -> dict:
        """The summary's numbers by key, no name: {"by_state": {state id: n}, "groups": {breakdown:
        {value: n}}, "overdue_counts", and the sections' templates and context}."""
        if tasks.db and connections[tasks.db].vendor == "postgresql":
            by_state, grouped = self._grouping_sets(tasks)
        else:
            by_state = dict(tasks.order_by().values_list("state").annotate(n=Count("pk")))
            grouped = {
                key: dict(tasks.order_by().values_list(key).annotate(n=Count("pk")))
                for key, _name, _top in self.BREAKDOWNS
            }
        figures: dict = {"by_state": by_state, "groups": grouped}
        figures["overdue_counts"] = [
            (str(deadlines.LABELS[kind]), count)
            for kind, count in deadlines.overdue_counts(tasks, today).items()
        ]
        # The funding and results apps' figures over the same tasks (budget by year, results applied).
        figures["side_sections"], figures["side"] = page_sections(SUMMARY_SIDE, request, tasks)
        figures["end_sections"], figures["end"] = page_sections(SUMMARY_END, request, tasks)
        return figures

    def _named_figures(self, counts: dict) -> dict:
        """The page's figures from the counts: the states, and each breakdown's rows with their names,
        largest first (the first TOP of the long ones). The names are kept in the cache too, exact (no
        lag: a renamed organization shows at once), under the version of the tables they come from."""
        grouped = counts["groups"]
        wanted = {
            key: sorted(self._named_ids(grouped[key], top)) for key, name, top in self.BREAKDOWNS if name
        }
        names = aggregates.cached(
            "sttasks.summary.names",
            lambda: self._names(wanted),
            depends_on=[WorkflowState, *(Task._meta.get_field(key).related_model for key in wanted)],
            scope="all",  # the names of the keys the parts hold: the same for whoever asks
            parts=[sorted(wanted.items())],
            scope_tables=False,
        )
        by_state = counts["by_state"]
        titles = {
            "level": _("By level"),
            "task_type": _("By type"),
            "programme": _("By programme"),
            "field": _("By field"),
            "lead_organization": _("By lead organization (top %(n)s)") % {"n": self.TOP},
            "ordering_unit": _("By ordering locality (top %(n)s)") % {"n": self.TOP},
        }
        levels = dict(Task._meta.get_field("level").choices)
        figures = {
            "by_state": [(state, by_state.get(state.pk, 0)) for state in names["states"]],
            "total": sum(by_state.values()),
            "groups": [
                (titles[key], self._named(grouped[key], names[key] if name else levels, top), key)
                for key, name, top in self.BREAKDOWNS
            ],
            "overdue_counts": counts["overdue_counts"],
            "side_sections": counts["side_sections"],
            "end_sections": counts["end_sections"],
        }
        figures.update(counts["side"], **counts["end"])
        return figures

    @staticmethod
    def _named_ids(counts: dict, top) -> list:
        """The keys whose name the page shows: all of them, or those of the first `top` rows (with the
        ones tied with the last, which the names settle)."""
        ids = [v for v in counts if v is not None]
        if top:
            cut = sorted(counts.values(), reverse=True)[:top][-1] if counts else 0
            ids = [v for v in ids if counts[v] >= cut]
        return ids

    def _names(self, wanted: dict) -> dict:
        """{"states": the workflow's states, breakdown: {key: name}} (a query each)."""
        names: dict = {"states": list(WorkflowState.objects.all())}
        for key, name, _top in self.BREAKDOWNS:
            if key in wanted:
                model = Task._meta.get_field(key).related_model
                names[key] = dict(model._default_manager.filter(pk__in=wanted[key]).values_list("pk", name))
        return names

    @staticmethod
    def _named(counts: dict, labels: dict, top) -> list:
        """[(label, filter value, count)] from {value: count}, largest first, ties by name."""
        rows = sorted(
            ((labels.get(value), value, n) for value, n in counts.items()),
            key=lambda r: (-r[2], r[0] is None, r[0] or ""),
        )
        if top:
            rows = rows[:top]
        return [(label or _("(not set)"), value, n) for label, value, n in rows]

    @staticmethod
    def _year(value):
        return int(value) if value and value.isdigit() and 1990 <= int(value) <= 2100 else None

    def _grouping_sets(self, tasks) -> tuple[dict, dict]:
        """PostgreSQL: the counts by state and by each breakdown in ONE scan of the tasks (GROUPING
        SETS) instead of seven GROUP BY queries; {state id: n}, {breakdown: {value: n}}."""
        columns = ["state_id"] + [key if key == "level" else f"{key}_id" for key, _n, _t in self.BREAKDOWNS]
        inner, params = tasks.order_by().values(*columns).query.sql_with_params()
        quoted = [f'"{c}"' for c in columns]
        sql = (
            f"SELECT {', '.join(quoted)}, GROUPING({', '.join(quoted)}), COUNT(*) FROM ({inner}) AS t "  # nosec B608 # quoted column names of our own query
            f"GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in quoted)})"
        )
        every = (1 << len(columns)) - 1
        which = {every ^ (1 << (len(columns) - 1 - i)): i for i in range(len(columns))}
        counts: list[dict] = [{} for _c in columns]
        with connections[tasks.db].cursor() as cursor:
            cursor.execute(sql, params)
            for row in cursor.fetchall():
                i = which[row[len(columns)]]
                counts[i][row[i]] = row[-1]
        return counts[0], {key: counts[i + 1] for i, (key, _n, _t) in enumerate(self.BREAKDOWNS)}


class WorkflowView(TaskScopeMixin, generic.TemplateView):
    """The workflow in force: its states and the steps between them, with what each step needs."""

    template_name = "sttasks/workflow.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["states"] = list(WorkflowState.objects.all())
        steps = list(
            WorkflowTransition.objects.select_related("target", "requires_document_kind").prefetch_related(
                "sources"
            )
        )
        for step in steps:
            step.guard_labels = [workflow.GUARDS[n].label for n in step.guard_names if n in workflow.GUARDS]
        context["steps"] = steps
        return context

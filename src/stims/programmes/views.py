"""The agenda's pages: one class per page, registered under its standard name (docs/adding-a-domain.md)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import generic

from stims.core import permissions
from stims.core.exports import SafeTableExport
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
from stims.meetings.models import Directive
from stims.sttasks.models import Task

from . import filters, forms, services, tables
from . import rules as programme_rules
from .models import (
    Activity,
    ActivityKind,
    Agreement,
    AgreementReview,
    BodyMeeting,
    Commitment,
    DocumentLink,
    DocumentReview,
    LegalDocument,
    LocalOfficer,
    Plan,
    PlanLink,
    ProgressEntry,
    Target,
)

SHOWN = 50  # linked records listed on a page (the count says how many there are)


def may_add(user, model, context) -> bool:
    return context["can_change"] and permissions.has_perm(user, permissions.ADD, model)


# --- Plan ---


class PlanRowsMixin:
    def base_queryset(self):
        return Plan.objects.select_related("owner", "admin_unit")


@register_model_view(Plan, "list")
class PlanListView(PlanRowsMixin, ObjectListView):
    model = Plan
    table_class = tables.PlanTable
    filterset_class = filters.PlanFilterSet


@register_model_view(Plan, "detail")
class PlanDetailView(PlanRowsMixin, ObjectDetailView):
    """Everything done under the plan and what is behind: targets with progress, the tasks and
    directives linked to it, its child plans, documents, agreements and activities."""

    model = Plan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, plan = self.request.user, self.object
        rows = services.progress(plan)
        context["progress"] = rows
        context["behind"] = [row for row in rows if row.behind]
        links = plan.links.order_by("pk")
        tasks = permissions.restrict(Task.objects.filter(plan_links__plan=plan), user)
        if plan.task_programme_id:
            tasks = permissions.restrict(
                Task.objects.filter(plan_links__plan=plan)
                | Task.objects.filter(programme=plan.task_programme_id),
                user,
            ).distinct()
        context["task_count"] = tasks.count()
        context["tasks"] = tasks.select_related("state").order_by("-pk")[:SHOWN]
        directives = permissions.restrict(Directive.objects.filter(plan_links__plan=plan), user)
        context["directive_count"] = directives.count()
        context["directives"] = directives.order_by("-pk")[:SHOWN]
        context["link_ids"] = dict(links.values_list("task_id", "pk")) | dict(
            links.values_list("directive_id", "pk")
        )
        context["children"] = permissions.restrict(plan.children.all(), user).order_by("start_year")
        context["documents"] = permissions.restrict(plan.documents.all(), user)[:SHOWN]
        context["agreements"] = permissions.restrict(plan.agreements.all(), user)[:SHOWN]
        context["activities"] = permissions.restrict(plan.activities.all(), user)[:SHOWN]
        context["can_add_target"] = may_add(user, Target, context)
        context["can_add_link"] = may_add(user, PlanLink, context)
        context["can_add_entry"] = permissions.has_perm(user, permissions.ADD, ProgressEntry)
        return context


@register_model_view(Plan, "add")
class PlanCreateView(ObjectCreateView):
    model = Plan
    form_class = forms.PlanForm


@register_model_view(Plan, "edit")
class PlanUpdateView(PlanRowsMixin, ObjectUpdateView):
    model = Plan
    form_class = forms.PlanForm


@register_model_view(Plan, "delete")
class PlanDeleteView(PlanRowsMixin, ObjectDeleteView):
    model = Plan


@register_model_view(Plan, "deleted")
class PlanDeletedView(DeletedObjectsView):
    model = Plan


# --- LegalDocument ---


class LegalDocumentRowsMixin:
    def base_queryset(self):
        return LegalDocument.objects.select_related("organization", "admin_unit")


@register_model_view(LegalDocument, "list")
class LegalDocumentListView(LegalDocumentRowsMixin, ObjectListView):
    model = LegalDocument
    table_class = tables.LegalDocumentTable
    filterset_class = filters.LegalDocumentFilterSet


@register_model_view(LegalDocument, "detail")
class LegalDocumentDetailView(LegalDocumentRowsMixin, ObjectDetailView):
    model = LegalDocument

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, document = self.request.user, self.object
        context["doc_links"] = document.links.select_related("task", "directive").order_by("pk")
        context["reviews"] = document.reviews.order_by("-reviewed_on", "-pk")
        context["moves"] = services.available_moves(document, user)
        context["move_form"] = kwargs.get("move_form") or forms.DocumentMoveForm(user=user)
        context["failed_move"] = kwargs.get("failed_move")
        context["can_add_link"] = may_add(user, DocumentLink, context)
        context["can_add_review"] = may_add(user, DocumentReview, context)
        return context


@register_model_view(LegalDocument, "add")
class LegalDocumentCreateView(ObjectCreateView):
    model = LegalDocument
    form_class = forms.LegalDocumentForm


@register_model_view(LegalDocument, "edit")
class LegalDocumentUpdateView(LegalDocumentRowsMixin, ObjectUpdateView):
    model = LegalDocument
    form_class = forms.LegalDocumentForm


@register_model_view(LegalDocument, "delete")
class LegalDocumentDeleteView(LegalDocumentRowsMixin, ObjectDeleteView):
    model = LegalDocument


@register_model_view(LegalDocument, "deleted")
class LegalDocumentDeletedView(DeletedObjectsView):
    model = LegalDocument


# --- Agreement ---


class AgreementRowsMixin:
    def base_queryset(self):
        return Agreement.objects.select_related("owner", "admin_unit")


@register_model_view(Agreement, "list")
class AgreementListView(AgreementRowsMixin, ObjectListView):
    model = Agreement
    table_class = tables.AgreementTable
    filterset_class = filters.AgreementFilterSet


@register_model_view(Agreement, "detail")
class AgreementDetailView(AgreementRowsMixin, ObjectDetailView):
    model = Agreement

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, agreement = self.request.user, self.object
        context["partners"] = agreement.partners.order_by("name")
        context["commitments"] = agreement.commitments.select_related("directive").order_by("deadline", "pk")
        context["reviews"] = agreement.reviews.order_by("-reviewed_on", "-pk")
        context["today"] = datetime.date.today()
        context["can_add_commitment"] = may_add(user, Commitment, context)
        context["can_add_review"] = may_add(user, AgreementReview, context)
        return context


@register_model_view(Agreement, "add")
class AgreementCreateView(ObjectCreateView):
    model = Agreement
    form_class = forms.AgreementForm


@register_model_view(Agreement, "edit")
class AgreementUpdateView(AgreementRowsMixin, ObjectUpdateView):
    model = Agreement
    form_class = forms.AgreementForm


@register_model_view(Agreement, "delete")
class AgreementDeleteView(AgreementRowsMixin, ObjectDeleteView):
    model = Agreement


@register_model_view(Agreement, "deleted")
class AgreementDeletedView(DeletedObjectsView):
    model = Agreement


# --- Activity ---


class ActivityRowsMixin:
    def base_queryset(self):
        return Activity.objects.select_related("organizer", "admin_unit")


@register_model_view(Activity, "list")
class ActivityListView(ActivityRowsMixin, ObjectListView):
    model = Activity
    table_class = tables.ActivityTable
    filterset_class = filters.ActivityFilterSet


@register_model_view(Activity, "detail")
class ActivityDetailView(ActivityRowsMixin, ObjectDetailView):
    model = Activity


@register_model_view(Activity, "add")
class ActivityCreateView(ObjectCreateView):
    model = Activity
    form_class = forms.ActivityForm


@register_model_view(Activity, "edit")
class ActivityUpdateView(ActivityRowsMixin, ObjectUpdateView):
    model = Activity
    form_class = forms.ActivityForm


@register_model_view(Activity, "delete")
class ActivityDeleteView(ActivityRowsMixin, ObjectDeleteView):
    model = Activity


@register_model_view(Activity, "deleted")
class ActivityDeletedView(DeletedObjectsView):
    model = Activity


# --- BodyMeeting ---


class BodyMeetingRowsMixin:
    def base_queryset(self):
        return BodyMeeting.objects.select_related("body__admin_unit")


@register_model_view(BodyMeeting, "list")
class BodyMeetingListView(BodyMeetingRowsMixin, ObjectListView):
    model = BodyMeeting
    table_class = tables.BodyMeetingTable
    filterset_class = filters.BodyMeetingFilterSet


@register_model_view(BodyMeeting, "detail")
class BodyMeetingDetailView(BodyMeetingRowsMixin, ObjectDetailView):
    model = BodyMeeting


@register_model_view(BodyMeeting, "add")
class BodyMeetingCreateView(ObjectCreateView):
    model = BodyMeeting
    form_class = forms.BodyMeetingForm


@register_model_view(BodyMeeting, "edit")
class BodyMeetingUpdateView(BodyMeetingRowsMixin, ObjectUpdateView):
    model = BodyMeeting
    form_class = forms.BodyMeetingForm


@register_model_view(BodyMeeting, "delete")
class BodyMeetingDeleteView(BodyMeetingRowsMixin, ObjectDeleteView):
    model = BodyMeeting


@register_model_view(BodyMeeting, "deleted")
class BodyMeetingDeletedView(DeletedObjectsView):
    model = BodyMeeting


# --- LocalOfficer ---


class LocalOfficerRowsMixin:
    def base_queryset(self):
        return LocalOfficer.objects.select_related("person", "admin_unit")


@register_model_view(LocalOfficer, "list")
class LocalOfficerListView(LocalOfficerRowsMixin, ObjectListView):
    model = LocalOfficer
    table_class = tables.LocalOfficerTable
    filterset_class = filters.LocalOfficerFilterSet


@register_model_view(LocalOfficer, "detail")
class LocalOfficerDetailView(LocalOfficerRowsMixin, ObjectDetailView):
    model = LocalOfficer


@register_model_view(LocalOfficer, "add")
class LocalOfficerCreateView(ObjectCreateView):
    model = LocalOfficer
    form_class = forms.LocalOfficerForm


@register_model_view(LocalOfficer, "edit")
class LocalOfficerUpdateView(LocalOfficerRowsMixin, ObjectUpdateView):
    model = LocalOfficer
    form_class = forms.LocalOfficerForm


@register_model_view(LocalOfficer, "delete")
class LocalOfficerDeleteView(LocalOfficerRowsMixin, ObjectDeleteView):
    model = LocalOfficer


@register_model_view(LocalOfficer, "deleted")
class LocalOfficerDeletedView(DeletedObjectsView):
    model = LocalOfficer


# --- Target: on its plan's page ---


class TargetRowsMixin:
    def base_queryset(self):
        return Target.objects.select_related("plan", "admin_unit")


@register_model_view(Target, "detail")
class TargetDetailView(TargetRowsMixin, ObjectDetailView):
    model = Target

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.object
        rows = [row for row in services.progress(target.plan) if row.target.pk == target.pk]
        context["row"] = rows[0] if rows else None
        context["entries"] = target.entries.order_by("-reported_on", "-pk")
        context["can_add_entry"] = permissions.has_perm(self.request.user, permissions.ADD, ProgressEntry)
        return context


@register_model_view(Target, "add")
class TargetCreateView(ChildRecordMixin, ObjectCreateView):
    model = Target
    form_class = forms.TargetForm
    parent_field = "plan"


@register_model_view(Target, "edit")
class TargetUpdateView(ChildRecordMixin, TargetRowsMixin, ObjectUpdateView):
    model = Target
    form_class = forms.TargetForm
    parent_field = "plan"


@register_model_view(Target, "delete")
class TargetDeleteView(ChildRecordMixin, TargetRowsMixin, ObjectDeleteView):
    model = Target
    parent_field = "plan"


# --- ProgressEntry: on its target's page ---


class ProgressEntryRowsMixin:
    def base_queryset(self):
        return ProgressEntry.objects.select_related("target__plan")


@register_model_view(ProgressEntry, "detail")
class ProgressEntryDetailView(ProgressEntryRowsMixin, ObjectDetailView):
    model = ProgressEntry


@register_model_view(ProgressEntry, "add")
class ProgressEntryCreateView(ChildRecordMixin, ObjectCreateView):
    model = ProgressEntry
    form_class = forms.ProgressEntryForm
    parent_field = "target"


@register_model_view(ProgressEntry, "edit")
class ProgressEntryUpdateView(ChildRecordMixin, ProgressEntryRowsMixin, ObjectUpdateView):
    model = ProgressEntry
    form_class = forms.ProgressEntryForm
    parent_field = "target"


@register_model_view(ProgressEntry, "delete")
class ProgressEntryDeleteView(ChildRecordMixin, ProgressEntryRowsMixin, ObjectDeleteView):
    model = ProgressEntry
    parent_field = "target"


# --- PlanLink: on its plan's page ---


class PlanLinkRowsMixin:
    def base_queryset(self):
        return PlanLink.objects.select_related("plan", "task", "directive")


@register_model_view(PlanLink, "detail")
class PlanLinkDetailView(PlanLinkRowsMixin, ObjectDetailView):
    model = PlanLink


@register_model_view(PlanLink, "add")
class PlanLinkCreateView(ChildRecordMixin, ObjectCreateView):
    model = PlanLink
    form_class = forms.PlanLinkForm
    parent_field = "plan"


@register_model_view(PlanLink, "edit")
class PlanLinkUpdateView(ChildRecordMixin, PlanLinkRowsMixin, ObjectUpdateView):
    model = PlanLink
    form_class = forms.PlanLinkForm
    parent_field = "plan"


@register_model_view(PlanLink, "delete")
class PlanLinkDeleteView(ChildRecordMixin, PlanLinkRowsMixin, ObjectDeleteView):
    model = PlanLink
    parent_field = "plan"


# --- DocumentLink: on its document's page ---


class DocumentLinkRowsMixin:
    def base_queryset(self):
        return DocumentLink.objects.select_related("document", "task", "directive")


@register_model_view(DocumentLink, "detail")
class DocumentLinkDetailView(DocumentLinkRowsMixin, ObjectDetailView):
    model = DocumentLink


@register_model_view(DocumentLink, "add")
class DocumentLinkCreateView(ChildRecordMixin, ObjectCreateView):
    model = DocumentLink
    form_class = forms.DocumentLinkForm
    parent_field = "document"


@register_model_view(DocumentLink, "edit")
class DocumentLinkUpdateView(ChildRecordMixin, DocumentLinkRowsMixin, ObjectUpdateView):
    model = DocumentLink
    form_class = forms.DocumentLinkForm
    parent_field = "document"


@register_model_view(DocumentLink, "delete")
class DocumentLinkDeleteView(ChildRecordMixin, DocumentLinkRowsMixin, ObjectDeleteView):
    model = DocumentLink
    parent_field = "document"


# --- DocumentReview: on its document's page ---


class DocumentReviewRowsMixin:
    def base_queryset(self):
        return DocumentReview.objects.select_related("document")


@register_model_view(DocumentReview, "detail")
class DocumentReviewDetailView(DocumentReviewRowsMixin, ObjectDetailView):
    model = DocumentReview


@register_model_view(DocumentReview, "add")
class DocumentReviewCreateView(ChildRecordMixin, ObjectCreateView):
    model = DocumentReview
    form_class = forms.DocumentReviewForm
    parent_field = "document"


@register_model_view(DocumentReview, "edit")
class DocumentReviewUpdateView(ChildRecordMixin, DocumentReviewRowsMixin, ObjectUpdateView):
    model = DocumentReview
    form_class = forms.DocumentReviewForm
    parent_field = "document"


@register_model_view(DocumentReview, "delete")
class DocumentReviewDeleteView(ChildRecordMixin, DocumentReviewRowsMixin, ObjectDeleteView):
    model = DocumentReview
    parent_field = "document"


# --- Commitment: on its agreement's page ---


class CommitmentRowsMixin:
    def base_queryset(self):
        return Commitment.objects.select_related("agreement", "directive")


@register_model_view(Commitment, "detail")
class CommitmentDetailView(CommitmentRowsMixin, ObjectDetailView):
    model = Commitment


@register_model_view(Commitment, "add")
class CommitmentCreateView(ChildRecordMixin, ObjectCreateView):
    model = Commitment
    form_class = forms.CommitmentForm
    parent_field = "agreement"


@register_model_view(Commitment, "edit")
class CommitmentUpdateView(ChildRecordMixin, CommitmentRowsMixin, ObjectUpdateView):
    model = Commitment
    form_class = forms.CommitmentForm
    parent_field = "agreement"


@register_model_view(Commitment, "delete")
class CommitmentDeleteView(ChildRecordMixin, CommitmentRowsMixin, ObjectDeleteView):
    model = Commitment
    parent_field = "agreement"


# --- AgreementReview: on its agreement's page ---


class AgreementReviewRowsMixin:
    def base_queryset(self):
        return AgreementReview.objects.select_related("agreement")


@register_model_view(AgreementReview, "detail")
class AgreementReviewDetailView(AgreementReviewRowsMixin, ObjectDetailView):
    model = AgreementReview


@register_model_view(AgreementReview, "add")
class AgreementReviewCreateView(ChildRecordMixin, ObjectCreateView):
    model = AgreementReview
    form_class = forms.AgreementReviewForm
    parent_field = "agreement"


@register_model_view(AgreementReview, "edit")
class AgreementReviewUpdateView(ChildRecordMixin, AgreementReviewRowsMixin, ObjectUpdateView):
    model = AgreementReview
    form_class = forms.AgreementReviewForm
    parent_field = "agreement"


@register_model_view(AgreementReview, "delete")
class AgreementReviewDeleteView(ChildRecordMixin, AgreementReviewRowsMixin, ObjectDeleteView):
    model = AgreementReview
    parent_field = "agreement"


# --- Moves of a document's status -------------------------------------------------------------------


class LegalDocumentMoveView(generic.View):
    """POST only: one status move (`services.move_document`); its reasons are shown on the page."""

    def post(self, request, pk, move):
        if not permissions.has_perm(request.user, permissions.VIEW, LegalDocument):
            raise PermissionDenied
        document = get_object_or_404(permissions.restrict(LegalDocument.objects.all(), request.user), pk=pk)
        if move not in services.MOVES:
            raise Http404
        programme_rules.require(programme_rules.MOVE_DOCUMENT, request.user, document)
        form = forms.DocumentMoveForm(request.POST, user=request.user)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            try:
                services.move_document(document, move, request.user, **values)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("“%(object)s” is now %(state)s.")
                    % {"object": document, "state": document.get_status_display().lower()},
                )
                return HttpResponseRedirect(document.get_absolute_url())
        view = LegalDocumentDetailView()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        response = view.render_to_response(
            view.get_context_data(object=view.object, move_form=form, failed_move=move)
        )
        response.status_code = 400
        return response


# --- Counts ------------------------------------------------------------------------------------------


class ActivityReportView(ModelPermissionMixin, generic.TemplateView):
    """Outreach and training activities and their attendees by kind, over what the user may see;
    exportable to CSV and XLSX (`?_export=`)."""

    model = Activity
    template_name = "programmes/activity_report.html"
    export_formats = ("csv", "xlsx")

    def get(self, request, *args, **kwargs):
        year = request.GET.get("year", "")
        year = int(year) if year.isdigit() and 1900 <= int(year) <= 2100 else None
        activities = permissions.restrict(Activity.objects.all(), request.user)
        labels = dict(ActivityKind.choices)
        rows = [
            {**row, "kind": labels.get(row["kind"], row["kind"]), "attendees": row["attendees"] or 0}
            for row in services.activities_by_kind(activities, year)
        ]
        table = tables.ActivityCountTable(rows)
        export_format = request.GET.get("_export")
        if export_format in self.export_formats:
            return SafeTableExport(export_format, table).response(
                filename=f"outreach-training{f'-{year}' if year else ''}.{export_format}"
            )
        context = self.get_context_data(table=table, rows=rows, year=year)
        context.update(self.model_context())
        context["total_activities"] = sum(r["activities"] for r in rows)
        context["total_attendees"] = sum(r["attendees"] for r in rows)
        context["export_formats"] = self.export_formats
        return self.render_to_response(context)


class BehindPlansView(ModelPermissionMixin, generic.ListView):
    """The plans with targets behind schedule, most behind first (the leader's panel leads here)."""

    model = Plan
    template_name = "programmes/behind.html"
    paginate_by = 50

    def get_queryset(self):
        plans = permissions.restrict(Plan.objects.select_related("owner"), self.request.user)
        return services.behind_plans(plans)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.model_context())
        return context


class LegalDocumentOptionsView(SearchOptionsView):
    """Options for the search box choosing a policy or legal document (a document's replacement, a
    link's or a review's document): tens of thousands at national scale, never a full <select>."""

    model = LegalDocument

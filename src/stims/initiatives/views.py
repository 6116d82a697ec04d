from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
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
    register_model_view,
)

from . import filters, forms, services, tables
from . import rules as initiative_rules
from .models import CouncilRound, Initiative, InitiativeAuthor, RoundMember, ScoreSheet


def _errors_into(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Initiatives ----------------------------------------------------------------------------------------


class InitiativeRowsMixin:
    def base_queryset(self):
        return Initiative.objects.select_related("agency__admin_unit", "round")


@register_model_view(Initiative, "list")
class InitiativeListView(InitiativeRowsMixin, ObjectListView):
    model = Initiative
    table_class = tables.InitiativeTable
    filterset_class = filters.InitiativeFilterSet


@register_model_view(Initiative, "detail")
class InitiativeDetailView(InitiativeRowsMixin, ObjectDetailView):
    model = Initiative

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, initiative = self.request.user, self.object
        context["authors"] = initiative.authors.order_by("-contribution", "pk")
        context["sheets"] = initiative.sheets.select_related("member").order_by("member__pk")
        context["average"] = services.average_score(initiative)
        context["can_add_author"] = context["can_change"] and permissions.has_perm(
            user, permissions.ADD, InitiativeAuthor
        )
        context["moves"] = services.available_moves(initiative, user)
        context["move_form"] = kwargs.get("move_form") or forms.MoveForm(user=user)
        context["failed_move"] = kwargs.get("failed_move")
        members = self.scorable_members(initiative, user)
        context["sheet_form"] = kwargs.get("sheet_form") or (
            forms.SheetForm(members=members) if members.exists() else None
        )
        return context

    @staticmethod
    def scorable_members(initiative, user):
        if initiative.state != services.S.UNDER_REVIEW or initiative.round_id is None:
            return RoundMember.objects.none()
        members = initiative.round.members.order_by("pk")
        return members.filter(
            pk__in=[m.pk for m in members if initiative_rules.has(initiative_rules.SCORE, user, m)]
        )


@register_model_view(Initiative, "add")
class InitiativeCreateView(ObjectCreateView):
    model = Initiative
    form_class = forms.InitiativeForm


@register_model_view(Initiative, "edit")
class InitiativeUpdateView(InitiativeRowsMixin, ObjectUpdateView):
    model = Initiative
    form_class = forms.InitiativeForm


@register_model_view(Initiative, "delete")
class InitiativeDeleteView(InitiativeRowsMixin, ObjectDeleteView):
    model = Initiative


@register_model_view(Initiative, "deleted")
class InitiativeDeletedView(DeletedObjectsView):
    model = Initiative


class InitiativeActionMixin:
    """A POST on one initiative: refused without any grant (403), outside the user's scope (404)."""

    def initiative(self, request, pk):
        if not permissions.has_perm(request.user, permissions.VIEW, Initiative):
            raise PermissionDenied
        return get_object_or_404(permissions.restrict(Initiative.objects.all(), request.user), pk=pk)

    def redisplay(self, request, pk, **forms_shown):
        view = InitiativeDetailView()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        response = view.render_to_response(view.get_context_data(object=view.object, **forms_shown))
        response.status_code = 400
        return response


class InitiativeMoveView(InitiativeActionMixin, generic.View):
    """POST only: one move of the state machine (`services.move`); its reasons are shown on the page."""

    def post(self, request, pk, move):
        initiative = self.initiative(request, pk)
        if move not in services.MOVES:
            raise Http404
        rule = services.MOVES[move][2]
        if not initiative_rules.has(rule, request.user, initiative):
            raise initiative_rules.core_rules.deny(rule)
        form = forms.MoveForm(request.POST, user=request.user)
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
            try:
                services.move(initiative, move, request.user, **values)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(
                    request,
                    _("“%(object)s” is now %(state)s.")
                    % {"object": initiative, "state": initiative.get_state_display().lower()},
                )
                return HttpResponseRedirect(initiative.get_absolute_url())
        return self.redisplay(request, pk, move_form=form, failed_move=move)


class InitiativeScoreView(InitiativeActionMixin, generic.View):
    """POST only: enters a member's score sheet (`services.record_sheet`)."""

    def post(self, request, pk):
        initiative = self.initiative(request, pk)
        members = InitiativeDetailView.scorable_members(initiative, request.user)
        if not members.exists():
            raise initiative_rules.core_rules.deny(initiative_rules.SCORE)
        form = forms.SheetForm(request.POST, members=members)
        if form.is_valid():
            data = dict(form.cleaned_data)
            member = data.pop("member")
            try:
                services.record_sheet(initiative, member, request.user, **data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, _("The score sheet of %(member)s is saved.") % {"member": member})
                return HttpResponseRedirect(initiative.get_absolute_url())
        return self.redisplay(request, pk, sheet_form=form)


# --- Authors: on their initiative's page -----------------------------------------------------------------


class InitiativeAuthorRowsMixin:
    def base_queryset(self):
        return InitiativeAuthor.objects.select_related("initiative")


@register_model_view(InitiativeAuthor, "detail")
class InitiativeAuthorDetailView(InitiativeAuthorRowsMixin, ObjectDetailView):
    model = InitiativeAuthor


@register_model_view(InitiativeAuthor, "add")
class InitiativeAuthorCreateView(ChildRecordMixin, ObjectCreateView):
    model = InitiativeAuthor
    form_class = forms.InitiativeAuthorForm
    parent_field = "initiative"


@register_model_view(InitiativeAuthor, "edit")
class InitiativeAuthorUpdateView(ChildRecordMixin, InitiativeAuthorRowsMixin, ObjectUpdateView):
    model = InitiativeAuthor
    form_class = forms.InitiativeAuthorForm
    parent_field = "initiative"


@register_model_view(InitiativeAuthor, "delete")
class InitiativeAuthorDeleteView(ChildRecordMixin, InitiativeAuthorRowsMixin, ObjectDeleteView):
    model = InitiativeAuthor
    parent_field = "initiative"


@register_model_view(ScoreSheet, "detail")
class ScoreSheetDetailView(ObjectDetailView):
    model = ScoreSheet


# --- Council rounds and their members ----------------------------------------------------------------------


class CouncilRoundRowsMixin:
    def base_queryset(self):
        return CouncilRound.objects.select_related("admin_unit", "convened_by")


@register_model_view(CouncilRound, "list")
class CouncilRoundListView(CouncilRoundRowsMixin, ObjectListView):
    model = CouncilRound
    table_class = tables.CouncilRoundTable
    filterset_class = filters.CouncilRoundFilterSet


@register_model_view(CouncilRound, "detail")
class CouncilRoundDetailView(CouncilRoundRowsMixin, ObjectDetailView):
    model = CouncilRound

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, council_round = self.request.user, self.object
        context["members"] = council_round.members.select_related("user").order_by("pk")
        context["initiatives"] = permissions.restrict(
            council_round.initiatives.select_related("agency"), user
        ).order_by("-submitted_on")
        context["can_add_member"] = context["can_change"] and permissions.has_perm(
            user, permissions.ADD, RoundMember
        )
        return context


@register_model_view(CouncilRound, "add")
class CouncilRoundCreateView(ObjectCreateView):
    model = CouncilRound
    form_class = forms.CouncilRoundForm


@register_model_view(CouncilRound, "edit")
class CouncilRoundUpdateView(CouncilRoundRowsMixin, ObjectUpdateView):
    model = CouncilRound
    form_class = forms.CouncilRoundForm


@register_model_view(CouncilRound, "delete")
class CouncilRoundDeleteView(CouncilRoundRowsMixin, ObjectDeleteView):
    model = CouncilRound


@register_model_view(CouncilRound, "deleted")
class CouncilRoundDeletedView(DeletedObjectsView):
    model = CouncilRound


class RoundMemberRowsMixin:
    def base_queryset(self):
        return RoundMember.objects.select_related("round")


@register_model_view(RoundMember, "detail")
class RoundMemberDetailView(RoundMemberRowsMixin, ObjectDetailView):
    model = RoundMember


@register_model_view(RoundMember, "add")
class RoundMemberCreateView(ChildRecordMixin, ObjectCreateView):
    model = RoundMember
    form_class = forms.RoundMemberForm
    parent_field = "round"


@register_model_view(RoundMember, "edit")
class RoundMemberUpdateView(ChildRecordMixin, RoundMemberRowsMixin, ObjectUpdateView):
    model = RoundMember
    form_class = forms.RoundMemberForm
    parent_field = "round"


@register_model_view(RoundMember, "delete")
class RoundMemberDeleteView(ChildRecordMixin, RoundMemberRowsMixin, ObjectDeleteView):
    model = RoundMember
    parent_field = "round"


# --- The report ------------------------------------------------------------------------------------------


class RecognisedReportView(ModelPermissionMixin, generic.TemplateView):
    """How many initiatives each agency had recognised, per year of submission, over the initiatives the
    user may see; exportable to CSV and XLSX (`?_export=`)."""

    model = Initiative
    template_name = "initiatives/report.html"
    export_formats = ("csv", "xlsx")

    def get(self, request, *args, **kwargs):
        year = request.GET.get("year", "")
        year = int(year) if year.isdigit() else None
        initiatives = permissions.restrict(Initiative.objects.all(), request.user)
        rows = services.recognised_by_agency(initiatives, year)
        list_url = reverse("initiatives:initiative_list")
        for row in rows:
            row.list_url = f"{list_url}?" + urlencode(
                {"agency": row.agency_id, "year": row.year, "state": "recognised"}
            )
        table = tables.ReportTable(rows)
        export_format = request.GET.get("_export")
        if export_format in self.export_formats:
            return SafeTableExport(export_format, table).response(
                filename=f"initiatives-by-agency{f'-{year}' if year else ''}.{export_format}"
            )
        context = self.get_context_data(table=table, rows=rows, year=year)
        context.update(self.model_context())
        context["total_recognised"] = sum(r.recognised for r in rows)
        context["total_submitted"] = sum(r.submitted for r in rows)
        context["export_formats"] = self.export_formats
        return self.render_to_response(context)

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views import generic

from stims.core import concurrency, permissions
from stims.core.files import protected_download
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

from . import filters, forms, services, tables
from . import rules as council_rules
from .models import (
    Council,
    CouncilDossier,
    CouncilKind,
    CouncilMember,
    CouncilRole,
    CriteriaSet,
    Criterion,
    ScoreSheet,
)


def task_url(task) -> str | None:
    try:
        return reverse("sttasks:task_detail", args=[task.pk])
    except NoReverseMatch:  # the task pages are not there yet
        return None


ROLE_ORDER = {role: index for index, role in enumerate(CouncilRole.values)}


def ordered_members(council) -> list[CouncilMember]:
    """Members as the decision lists them: chair, vice chairs, reviewers, secretary, members."""
    members = list(council.members.select_related("person", "user"))
    return sorted(members, key=lambda m: (ROLE_ORDER.get(m.role, 99), m.pk))


class GuardedDeleteMixin:
    """Refuses deleting what the councils' rules keep (`services.check_deletable`), with the reason."""

    def guard(self):
        try:
            services.check_deletable(self.object)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return HttpResponseRedirect(self.object.get_absolute_url())
        return None

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.guard() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return self.guard() or super().post(request, *args, **kwargs)


class CriterionDeleteGuard(GuardedDeleteMixin):
    """A criterion of a set that score sheets use stays: the sheets' totals are made of it."""

    def guard(self):
        try:
            services.check_criteria_change(self.object.criteria_set)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return HttpResponseRedirect(self.object.criteria_set.get_absolute_url())
        return None


# --- Councils -----------------------------------------------------------------------------------------


def _dossiers_counted(**conditions):
    """The council's dossiers (meeting `conditions`) counted in a subquery of its own row."""
    counted = (
        CouncilDossier.objects.filter(council=OuterRef("pk"), **conditions)
        .order_by()
        .values("council")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class CouncilRowsMixin:
    def base_queryset(self):
        # Each council's counts in a subquery of its row, not a GROUP BY of every council joined to its
        # dossiers: the database counts the 25 councils of a page, not all of them (issue #20: 34,729
        # councils and 347,273 dossiers at national scale, 570 ms a page before).
        return (
            Council.objects.select_related("criteria_set")
            .annotate(dossier_count=_dossiers_counted(), passed_count=_dossiers_counted(passed=True))
            .order_by("-meeting_date", "-pk")
        )


@register_model_view(Council, "list")
class CouncilListView(CouncilRowsMixin, ObjectListView):
    model = Council
    table_class = tables.CouncilTable
    filterset_class = filters.CouncilFilterSet


@register_model_view(Council, "detail")
class CouncilDetailView(CouncilRowsMixin, ObjectDetailView):
    """The council's page, read like its minutes: the decision, the members and their declarations,
    the dossiers ranked by their results, the score sheets, the conclusion and the minutes file."""

    model = Council

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        council, user = self.object, self.request.user
        members = ordered_members(council)
        results = services.dossier_results(council)
        sheets = {(sheet.dossier_id, sheet.member_id): sheet for result in results for sheet in result.sheets}
        may_enter = {
            member.pk: council_rules.has(council_rules.ENTER_SHEET, user, member) and not member.has_conflict
            for member in members
        }
        is_open = council.concluded_on is None
        for result in results:
            result.task_url = task_url(result.dossier.task)
            result.cells = [
                {
                    "member": member,
                    "sheet": sheets.get((result.dossier.pk, member.pk)),
                    "can_enter": is_open and may_enter[member.pk],
                    "url": reverse("councils:scoresheet_enter", args=[result.dossier.pk, member.pk]),
                }
                for member in members
            ]
        criteria = (
            list(council.criteria_set.criteria.order_by("sort_order", "code"))
            if council.criteria_set_id
            else []
        )
        context.update(
            members=members,
            results=results,
            criteria=criteria,
            max_total=sum((c.max_score for c in criteria), 0),
            is_open=is_open,
            is_acceptance=council.kind == CouncilKind.ACCEPTANCE,
            passed_count=sum(1 for r in results if r.dossier.passed),
            conflicted_count=sum(1 for m in members if m.has_conflict),
            can_add_member=is_open and permissions.has_perm(user, permissions.ADD, CouncilMember),
            can_change_member=permissions.has_perm(user, permissions.CHANGE, CouncilMember),
            can_add_dossier=is_open and permissions.has_perm(user, permissions.ADD, CouncilDossier),
            can_change_dossier=permissions.has_perm(user, permissions.CHANGE, CouncilDossier),
            can_delete_children=is_open and permissions.has_perm(user, permissions.DELETE, CouncilDossier),
            can_enter_any=any(may_enter.values()) and is_open,
        )
        if is_open and results and council_rules.has(council_rules.CONCLUDE_COUNCIL, user, council):
            context.setdefault("conclusion_form", forms.ConclusionForm(council=council, results=results))
        if council_rules.has(council_rules.UPLOAD_MINUTES, user, council):
            context.setdefault("minutes_form", forms.MinutesForm(instance=council))
        return context


@register_model_view(Council, "add")
class CouncilCreateView(ObjectCreateView):
    model = Council
    form_class = forms.CouncilForm


@register_model_view(Council, "edit")
class CouncilUpdateView(CouncilRowsMixin, ObjectUpdateView):
    model = Council
    form_class = forms.CouncilForm


@register_model_view(Council, "delete")
class CouncilDeleteView(GuardedDeleteMixin, CouncilRowsMixin, ObjectDeleteView):
    model = Council


@register_model_view(Council, "deleted")
class CouncilDeletedView(DeletedObjectsView):
    model = Council


# --- Members and dossiers: on their council's page -----------------------------------------------------


class CouncilMemberRowsMixin:
    def base_queryset(self):
        return CouncilMember.objects.select_related("council", "person")


@register_model_view(CouncilMember, "detail")
class CouncilMemberDetailView(CouncilMemberRowsMixin, ObjectDetailView):
    model = CouncilMember


@register_model_view(CouncilMember, "add")
class CouncilMemberCreateView(ChildRecordMixin, ObjectCreateView):
    model = CouncilMember
    form_class = forms.CouncilMemberForm
    parent_field = "council"


@register_model_view(CouncilMember, "edit")
class CouncilMemberUpdateView(ChildRecordMixin, CouncilMemberRowsMixin, ObjectUpdateView):
    model = CouncilMember
    form_class = forms.CouncilMemberForm
    parent_field = "council"


@register_model_view(CouncilMember, "delete")
class CouncilMemberDeleteView(GuardedDeleteMixin, ChildRecordMixin, CouncilMemberRowsMixin, ObjectDeleteView):
    model = CouncilMember
    parent_field = "council"


class CouncilDossierRowsMixin:
    def base_queryset(self):
        return CouncilDossier.objects.select_related("council", "task")


@register_model_view(CouncilDossier, "detail")
class CouncilDossierDetailView(CouncilDossierRowsMixin, ObjectDetailView):
    model = CouncilDossier


@register_model_view(CouncilDossier, "add")
class CouncilDossierCreateView(ChildRecordMixin, ObjectCreateView):
    model = CouncilDossier
    form_class = forms.CouncilDossierForm
    parent_field = "council"


@register_model_view(CouncilDossier, "edit")
class CouncilDossierUpdateView(ChildRecordMixin, CouncilDossierRowsMixin, ObjectUpdateView):
    model = CouncilDossier
    form_class = forms.CouncilDossierForm
    parent_field = "council"


@register_model_view(CouncilDossier, "delete")
class CouncilDossierDeleteView(
    GuardedDeleteMixin, ChildRecordMixin, CouncilDossierRowsMixin, ObjectDeleteView
):
    model = CouncilDossier
    parent_field = "council"


# --- Criteria sets, and their criteria on the set's page -------------------------------------------------


class CriteriaSetRowsMixin:
    def base_queryset(self):
        return CriteriaSet.objects.annotate(
            criterion_count=Count("criteria"), total_max=Sum("criteria__max_score")
        ).order_by("council_kind", "-valid_from", "name", "pk")


@register_model_view(CriteriaSet, "list")
class CriteriaSetListView(CriteriaSetRowsMixin, ObjectListView):
    model = CriteriaSet
    table_class = tables.CriteriaSetTable
    filterset_class = filters.CriteriaSetFilterSet


@register_model_view(CriteriaSet, "detail")
class CriteriaSetDetailView(CriteriaSetRowsMixin, ObjectDetailView):
    model = CriteriaSet

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        criteria = list(self.object.criteria.order_by("sort_order", "code"))
        in_use = services.criteria_set_in_use(self.object)
        context.update(
            criteria=criteria,
            max_total=sum((c.max_score for c in criteria), 0),
            in_use=in_use,
            councils=list(self.object.councils.order_by("-meeting_date", "-pk")[:50]),
            can_add_criterion=not in_use
            and permissions.has_perm(self.request.user, permissions.ADD, Criterion),
            can_change_criterion=not in_use
            and permissions.has_perm(self.request.user, permissions.CHANGE, Criterion),
        )
        return context


@register_model_view(CriteriaSet, "add")
class CriteriaSetCreateView(ObjectCreateView):
    model = CriteriaSet
    form_class = forms.CriteriaSetForm


@register_model_view(CriteriaSet, "edit")
class CriteriaSetUpdateView(CriteriaSetRowsMixin, ObjectUpdateView):
    model = CriteriaSet
    form_class = forms.CriteriaSetForm


@register_model_view(CriteriaSet, "delete")
class CriteriaSetDeleteView(CriteriaSetRowsMixin, ObjectDeleteView):
    model = CriteriaSet


@register_model_view(CriteriaSet, "deleted")
class CriteriaSetDeletedView(DeletedObjectsView):
    model = CriteriaSet


class CriterionRowsMixin:
    def base_queryset(self):
        return Criterion.objects.select_related("criteria_set")


@register_model_view(Criterion, "detail")
class CriterionDetailView(CriterionRowsMixin, ObjectDetailView):
    model = Criterion


@register_model_view(Criterion, "add")
class CriterionCreateView(ChildRecordMixin, ObjectCreateView):
    model = Criterion
    form_class = forms.CriterionForm
    parent_field = "criteria_set"


@register_model_view(Criterion, "edit")
class CriterionUpdateView(ChildRecordMixin, CriterionRowsMixin, ObjectUpdateView):
    model = Criterion
    form_class = forms.CriterionForm
    parent_field = "criteria_set"


@register_model_view(Criterion, "delete")
class CriterionDeleteView(CriterionDeleteGuard, ChildRecordMixin, CriterionRowsMixin, ObjectDeleteView):
    model = Criterion
    parent_field = "criteria_set"


class _CouncilActionView(LoginRequiredMixin, generic.View):
    """A POST on a council's page: 404 for a council the user cannot see, 403 without the right to
    change it; a refused form re-renders the page with its errors."""

    context_name = ""
    rule = ""  # the council rule (`council_rules`) the action asks

    def get_council(self):
        if not permissions.has_perm(self.request.user, permissions.CHANGE, Council):
            raise PermissionDenied  # a role with no right to change councils at all
        visible = permissions.restrict(Council.objects.select_related("criteria_set"), self.request.user)
        council = get_object_or_404(visible, pk=self.kwargs["pk"])
        permissions.require(self.request.user, permissions.CHANGE, council)
        council_rules.require(self.rule, self.request.user, council)
        return council

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.get_council().get_absolute_url())

    def rerender(self, council, form):
        detail = CouncilDetailView(request=self.request, kwargs={"pk": council.pk}, args=())
        detail.object = Council.objects.select_related("criteria_set").get(pk=council.pk)
        return detail.render_to_response(
            detail.get_context_data(object=detail.object, **{self.context_name: form})
        )


class ConcludeView(_CouncilActionView):
    context_name = "conclusion_form"
    rule = council_rules.CONCLUDE_COUNCIL

    def post(self, request, *args, **kwargs):
        council = self.get_council()
        if council.concluded_on:
            messages.error(
                request,
                _("The council already concluded on %(date)s.")
                % {"date": f"{council.concluded_on:%d/%m/%Y}"},
            )
            return HttpResponseRedirect(council.get_absolute_url())
        form = forms.ConclusionForm(request.POST, council=council, results=services.dossier_results(council))
        if form.is_valid():
            try:
                services.conclude(
                    council,
                    request.user,
                    form.cleaned_data["concluded_on"],
                    form.cleaned_data["conclusion"],
                    form.outcomes(),
                )
            except ValidationError as exc:
                forms.add_service_error(form, exc)
        if form.errors:
            return self.rerender(council, form)
        messages.success(request, _("The conclusion of “%(object)s” is recorded.") % {"object": council})
        return HttpResponseRedirect(council.get_absolute_url())


class MinutesUploadView(_CouncilActionView):
    context_name = "minutes_form"
    rule = council_rules.UPLOAD_MINUTES

    def post(self, request, *args, **kwargs):
        council = self.get_council()
        form = forms.MinutesForm(request.POST, request.FILES, instance=council)
        if not form.is_valid():
            return self.rerender(council, form)
        with transaction.atomic():
            # Only the minutes change: the rest of the council is taken as saved now, under its row
            # lock, so an edit of the council saved since the page was opened is not undone.
            current = concurrency.lock(council)
            current._history_user = request.user
            current._change_reason = _("Minutes uploaded")
            current.minutes = form.cleaned_data["minutes"]
            current.save()
        messages.success(request, _("The minutes of “%(object)s” are uploaded.") % {"object": council})
        return HttpResponseRedirect(council.get_absolute_url())


class MinutesDownloadView(LoginRequiredMixin, generic.View):
    def get(self, request, pk):
        return protected_download(request, get_object_or_404(Council, pk=pk), "minutes")


class ScoreSheetView(LoginRequiredMixin, generic.TemplateView):
    """One member's score sheet for one dossier: a specialist enters anyone's (from the paper
    sheets), a council member only their own; other roles are refused."""

    template_name = "councils/scoresheet_form.html"

    def setup_sheet(self):
        user = self.request.user
        if not permissions.has_perm(user, permissions.ADD, ScoreSheet):
            raise PermissionDenied
        visible = permissions.restrict(
            CouncilDossier.objects.select_related("council__criteria_set", "task", "applicant"), user
        )
        self.dossier = get_object_or_404(visible, pk=self.kwargs["dossier"])
        self.council = self.dossier.council
        self.member = get_object_or_404(
            CouncilMember.objects.select_related("person", "user"),
            pk=self.kwargs["member"],
            council=self.council,
        )
        council_rules.require(council_rules.ENTER_SHEET, user, self.member)
        self.sheet = (
            ScoreSheet.objects.filter(dossier=self.dossier, member=self.member)
            .prefetch_related("scores")
            .first()
        )
        self.criteria = (
            list(self.council.criteria_set.criteria.order_by("sort_order", "code"))
            if self.council.criteria_set_id
            else []
        )

    def refusal(self) -> str | None:
        """Why this sheet cannot be entered at all (shown instead of the form)."""
        if self.council.concluded_on:
            return str(services.council_closed_error(self.council, _("score sheets")).messages[0])
        if self.member.has_conflict:
            return _(
                "%(person)s declared a conflict of interest and may not score dossiers of this council."
            ) % {"person": self.member.person}
        if not self.criteria:
            return _("Choose the council's criteria set before entering score sheets.")
        return None

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        refusal = self.refusal()
        if form is None:
            form = forms.ScoreSheetForm(criteria=self.criteria, sheet=self.sheet)
        if refusal:
            for field in form.fields.values():
                field.disabled = True
        context.update(
            dossier=self.dossier,
            council=self.council,
            member=self.member,
            sheet=self.sheet,
            can_delete=council_rules.has(council_rules.DELETE_SHEET, self.request.user, self.member),
            form=form,
            refusal=refusal,
            criteria=self.criteria,
            max_total=sum((c.max_score for c in self.criteria), 0),
            task_url=task_url(self.dossier.task),
        )
        return context

    def get(self, request, *args, **kwargs):
        self.setup_sheet()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.setup_sheet()
        form = forms.ScoreSheetForm(request.POST, criteria=self.criteria, sheet=self.sheet)
        if form.is_valid():
            try:
                with transaction.atomic():
                    self.refuse_if_changed_meanwhile(form)
                    sheet = services.record_score_sheet(
                        self.dossier,
                        self.member,
                        form.scores(),
                        user=request.user,
                        comments=form.cleaned_data["comments"],
                    )
            except ValidationError as exc:
                forms.add_service_error(form, exc)
            else:
                messages.success(
                    request,
                    _("Score sheet of %(person)s for “%(task)s” saved: %(total)s points.")
                    % {
                        "person": self.member.person,
                        "task": self.dossier.task,
                        "total": number_format(sheet.total),
                    },
                )
                return HttpResponseRedirect(self.council.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))

    def refuse_if_changed_meanwhile(self, form):
        """Two people entering the same member's sheet (e.g. the secretary from the paper and the member
        online): the later save is refused, with the sheet as it is now, instead of replacing it unseen."""
        if self.refusal():
            return  # a closed council or a conflicted member: the service refuses it with its own reason
        submitted = form.cleaned_data.get("record_version") or ""
        current = (
            ScoreSheet.objects.select_for_update().filter(dossier=self.dossier, member=self.member).first()
        )
        expected = concurrency.version_of(current) if current is not None else forms.NEW_SHEET
        if submitted == expected:
            return
        form.data = form.data.copy()
        form.data["record_version"] = expected  # saving again deliberately keeps this user's scores
        who = (
            current.history.first().history_user if current is not None and current.history.exists() else None
        )
        raise ValidationError(
            _(
                "%(user)s saved this score sheet after you opened it; your scores were not saved. The sheet now "
                "totals %(total)s points. Check your scores and save again to replace theirs."
            )
            % {
                "user": (who.get_full_name() or who.get_username()) if who else _("Someone else"),
                "total": number_format(current.total if current is not None else 0),
            }
        )


class ScoreSheetDeleteView(ScoreSheetView):
    def get(self, request, *args, **kwargs):
        self.setup_sheet()
        return HttpResponseRedirect(
            reverse("councils:scoresheet_enter", args=[self.dossier.pk, self.member.pk])
        )

    def post(self, request, *args, **kwargs):
        self.setup_sheet()
        if self.sheet is None:
            return HttpResponseRedirect(self.council.get_absolute_url())
        try:
            services.delete_score_sheet(self.sheet, user=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Score sheet of %(person)s for “%(task)s” deleted.")
                % {"person": self.member.person, "task": self.dossier.task},
            )
        return HttpResponseRedirect(self.council.get_absolute_url())

"""Pages of working sessions, their child records, locality requests and directives.

The session page reads like the minutes; the directive page shows its reports and timeline and offers
exactly the moves `services.available_actions` allows, each made by `services.move`.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from stims.core import permissions
from stims.core import rules as core_rules
from stims.core.files import protected_download
from stims.core.tables import ordered_in_parts
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
from stims.orgs.models import Organization

from . import filters, forms, services, tables
from .models import (
    AgendaItem,
    Directive,
    DirectiveReport,
    LocalityRequest,
    Participant,
    ParticipantRole,
    SessionDocument,
    SessionFigure,
    WorkingSession,
)

# The sides of the table, in the order the minutes name them.
SIDES = (
    (ParticipantRole.CHAIR, ParticipantRole.CHAIR.label),
    (ParticipantRole.HOST, ParticipantRole.HOST.label),
    (ParticipantRole.LOCALITY, ParticipantRole.LOCALITY.label),
    (ParticipantRole.REPORTER, ParticipantRole.REPORTER.label),
    (ParticipantRole.GUEST, ParticipantRole.GUEST.label),
)


EVENT_LABELS = {
    "start": gettext_lazy("Started"),
    "report": gettext_lazy("Reported"),
    "accept": gettext_lazy("Report accepted"),
    "return": gettext_lazy("Returned for more work"),
    "extend": gettext_lazy("Deadline extended"),
    "cancel": gettext_lazy("Cancelled"),
    "renew": gettext_lazy("Next year's cycle started"),
}


def session_rows():
    return WorkingSession.objects.select_related("admin_unit", "host_organization", "chair")


def directive_rows():
    return Directive.objects.select_related("session", "lead_organization", "request")


def directives_overdue_first(queryset, today):
    """Open directives past their deadline first, then by deadline (undated "regularly" ones last).
    Ordered in two parts (`core.tables.ordered_in_parts`): a long list's page reads the overdue ones
    (index meetings_directive_overdue), then the rest (meetings_directive_order), in deadline order."""
    overdue = Q(state__in=services.OPEN_STATES, deadline__lt=today)
    return ordered_in_parts(queryset, [overdue], F("deadline").asc(nulls_last=True), "pk")


# --- Working sessions --------------------------------------------------------------------------------


class WorkingSessionRowsMixin:
    def base_queryset(self):
        return session_rows()


@register_model_view(WorkingSession, "list")
class WorkingSessionListView(ObjectListView):
    model = WorkingSession
    table_class = tables.WorkingSessionTable
    filterset_class = filters.WorkingSessionFilterSet

    def base_queryset(self):
        return (
            session_rows()
            .annotate(
                directive_count=Count("directives"),
                open_count=Count("directives", filter=Q(directives__state__in=services.OPEN_STATES)),
            )
            .order_by("-held_on", "-pk")
        )


@register_model_view(WorkingSession, "detail")
class WorkingSessionDetailView(ObjectDetailView):
    """The session as its minutes would tell it: who met where and when, what was reported, what the
    locality asked for and got, and what was concluded, each directive with who does it by when."""

    model = WorkingSession

    def base_queryset(self):
        return session_rows().select_related("admin_unit__province", "admin_unit__parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session, user = self.object, self.request.user
        today = timezone.localdate()
        participants = list(session.participants.select_related("person", "organization"))
        context["sides"] = [
            (role, label, [p for p in participants if p.role == role]) for role, label in SIDES
        ]
        context["participant_count"] = len(participants)
        context["agenda"] = list(session.agenda_items.all())
        context["documents"] = list(session.documents.all())
        context["figures"] = list(session.figures.all())
        visible_directives = permissions.restrict(Directive.objects.all(), user, permissions.VIEW)
        context["requests"] = list(
            session.requests.select_related(
                "from_unit__province", "from_unit__parent", "from_organization", "addressed_to"
            ).prefetch_related(
                Prefetch(
                    "directives",
                    queryset=visible_directives.select_related("lead_organization").order_by("pk"),
                )
            )
        )
        directives = list(
            visible_directives.filter(session=session)
            .select_related("lead_organization", "request")
            .prefetch_related("supporting_organizations")
            .order_by("pk")
        )
        for directive in directives:
            directive.is_overdue = tables.is_overdue(directive, today)
            directive.deadline_label = tables.deadline_label(directive)
        context["directives"] = directives
        can_change = context["can_change"]
        for key, model in {
            "participant": Participant,
            "agenda": AgendaItem,
            "document": SessionDocument,
            "figure": SessionFigure,
            "request": LocalityRequest,
        }.items():
            context[f"can_add_{key}"] = can_change and permissions.has_perm(user, permissions.ADD, model)
            context[f"can_change_{key}"] = can_change and permissions.has_perm(
                user, permissions.CHANGE, model
            )
            context[f"can_delete_{key}"] = can_change and permissions.has_perm(
                user, permissions.DELETE, model
            )
        context["can_add_directive"] = permissions.has_perm(user, permissions.ADD, Directive)
        context["can_change_directive"] = permissions.has_perm(user, permissions.CHANGE, Directive)
        context["can_delete_directive"] = permissions.has_perm(user, permissions.DELETE, Directive)
        return context


class WorkingSessionOptionsView(SearchOptionsView):
    """Options for the session search box of child records' and directives' forms."""

    model = WorkingSession


class DirectiveOptionsView(SearchOptionsView):
    """Options for the directive search box of other apps' forms (a plan's or a legal document's links,
    an agreement's commitments): a province's directives run to thousands."""

    model = Directive


@register_model_view(WorkingSession, "add")
class WorkingSessionCreateView(ObjectCreateView):
    model = WorkingSession
    form_class = forms.WorkingSessionForm


@register_model_view(WorkingSession, "edit")
class WorkingSessionUpdateView(WorkingSessionRowsMixin, ObjectUpdateView):
    model = WorkingSession
    form_class = forms.WorkingSessionForm


@register_model_view(WorkingSession, "delete")
class WorkingSessionDeleteView(WorkingSessionRowsMixin, ObjectDeleteView):
    model = WorkingSession


@register_model_view(WorkingSession, "deleted")
class WorkingSessionDeletedView(DeletedObjectsView):
    model = WorkingSession


# --- Participants, agenda, documents, figures and requests: on their session's page -------------------------


class ParticipantRowsMixin:
    def base_queryset(self):
        return Participant.objects.select_related("session", "person", "organization")


@register_model_view(Participant, "detail")
class ParticipantDetailView(ParticipantRowsMixin, ObjectDetailView):
    model = Participant


@register_model_view(Participant, "add")
class ParticipantCreateView(ChildRecordMixin, ObjectCreateView):
    model = Participant
    form_class = forms.ParticipantForm
    parent_field = "session"


@register_model_view(Participant, "edit")
class ParticipantUpdateView(ChildRecordMixin, ParticipantRowsMixin, ObjectUpdateView):
    model = Participant
    form_class = forms.ParticipantForm
    parent_field = "session"


@register_model_view(Participant, "delete")
class ParticipantDeleteView(ChildRecordMixin, ParticipantRowsMixin, ObjectDeleteView):
    model = Participant
    parent_field = "session"


class AgendaItemRowsMixin:
    def base_queryset(self):
        return AgendaItem.objects.select_related("session")


@register_model_view(AgendaItem, "detail")
class AgendaItemDetailView(AgendaItemRowsMixin, ObjectDetailView):
    model = AgendaItem


@register_model_view(AgendaItem, "add")
class AgendaItemCreateView(ChildRecordMixin, ObjectCreateView):
    model = AgendaItem
    form_class = forms.AgendaItemForm
    parent_field = "session"


@register_model_view(AgendaItem, "edit")
class AgendaItemUpdateView(ChildRecordMixin, AgendaItemRowsMixin, ObjectUpdateView):
    model = AgendaItem
    form_class = forms.AgendaItemForm
    parent_field = "session"


@register_model_view(AgendaItem, "delete")
class AgendaItemDeleteView(ChildRecordMixin, AgendaItemRowsMixin, ObjectDeleteView):
    model = AgendaItem
    parent_field = "session"


class SessionDocumentRowsMixin:
    def base_queryset(self):
        return SessionDocument.objects.select_related("session")


@register_model_view(SessionDocument, "detail")
class SessionDocumentDetailView(SessionDocumentRowsMixin, ObjectDetailView):
    model = SessionDocument


@register_model_view(SessionDocument, "add")
class SessionDocumentCreateView(ChildRecordMixin, ObjectCreateView):
    model = SessionDocument
    form_class = forms.SessionDocumentForm
    parent_field = "session"


@register_model_view(SessionDocument, "edit")
class SessionDocumentUpdateView(ChildRecordMixin, SessionDocumentRowsMixin, ObjectUpdateView):
    model = SessionDocument
    form_class = forms.SessionDocumentForm
    parent_field = "session"


@register_model_view(SessionDocument, "delete")
class SessionDocumentDeleteView(ChildRecordMixin, SessionDocumentRowsMixin, ObjectDeleteView):
    model = SessionDocument
    parent_field = "session"


class SessionFigureRowsMixin:
    def base_queryset(self):
        return SessionFigure.objects.select_related("session")


@register_model_view(SessionFigure, "detail")
class SessionFigureDetailView(SessionFigureRowsMixin, ObjectDetailView):
    model = SessionFigure


@register_model_view(SessionFigure, "add")
class SessionFigureCreateView(ChildRecordMixin, ObjectCreateView):
    model = SessionFigure
    form_class = forms.SessionFigureForm
    parent_field = "session"


@register_model_view(SessionFigure, "edit")
class SessionFigureUpdateView(ChildRecordMixin, SessionFigureRowsMixin, ObjectUpdateView):
    model = SessionFigure
    form_class = forms.SessionFigureForm
    parent_field = "session"


@register_model_view(SessionFigure, "delete")
class SessionFigureDeleteView(ChildRecordMixin, SessionFigureRowsMixin, ObjectDeleteView):
    model = SessionFigure
    parent_field = "session"


class LocalityRequestRowsMixin:
    def base_queryset(self):
        return LocalityRequest.objects.select_related(
            "session", "from_unit", "from_organization", "addressed_to"
        )


@register_model_view(LocalityRequest, "detail")
class LocalityRequestDetailView(LocalityRequestRowsMixin, ObjectDetailView):
    model = LocalityRequest


@register_model_view(LocalityRequest, "add")
class LocalityRequestCreateView(ChildRecordMixin, ObjectCreateView):
    model = LocalityRequest
    form_class = forms.LocalityRequestForm
    parent_field = "session"


@register_model_view(LocalityRequest, "edit")
class LocalityRequestUpdateView(ChildRecordMixin, LocalityRequestRowsMixin, ObjectUpdateView):
    model = LocalityRequest
    form_class = forms.LocalityRequestForm
    parent_field = "session"


@register_model_view(LocalityRequest, "delete")
class LocalityRequestDeleteView(ChildRecordMixin, LocalityRequestRowsMixin, ObjectDeleteView):
    model = LocalityRequest
    parent_field = "session"


class SessionDocumentDownloadView(LoginRequiredMixin, generic.View):
    def get(self, request, pk):
        return protected_download(request, get_object_or_404(SessionDocument, pk=pk))


# --- Locality requests --------------------------------------------------------------------------------


@register_model_view(LocalityRequest, "list")
class LocalityRequestListView(ObjectListView):
    """Every request a locality raised, with the answer it got and the directives answering it."""

    model = LocalityRequest
    table_class = tables.LocalityRequestTable
    filterset_class = filters.LocalityRequestFilterSet

    def base_queryset(self):
        return (
            LocalityRequest.objects.select_related(
                "session__admin_unit", "from_unit", "from_organization", "addressed_to"
            )
            .prefetch_related(
                Prefetch(
                    "directives",
                    queryset=Directive.objects.select_related("lead_organization").order_by("pk"),
                )
            )
            .order_by("-session__held_on", "session_id", "pk")
        )

    def links(self, obj=None):
        links = super().links(obj)
        links["add"] = None  # a request is added from its session's page (it needs the session)
        return links


# --- Directives ----------------------------------------------------------------------------------------


class DirectiveRowsMixin:
    def base_queryset(self):
        return directive_rows()


@register_model_view(Directive, "list")
class DirectiveListView(ObjectListView):
    """Overdue directives first, then by deadline; the table's headers re-sort."""

    model = Directive
    table_class = tables.DirectiveTable
    filterset_class = filters.DirectiveFilterSet

    def base_queryset(self):
        return directives_overdue_first(
            directive_rows().prefetch_related("supporting_organizations"), timezone.localdate()
        )


class BackToSessionMixin:
    """A directive is recorded from its session's page: saving or deleting it goes back there."""

    def get_success_url(self):
        if self.object is not None and self.object.session_id:
            return self.object.session.get_absolute_url()
        if self.object is not None and self.object.pk:
            return self.object.get_absolute_url()
        return reverse("meetings:directive_list")


@register_model_view(Directive, "delete")
class DirectiveDeleteView(BackToSessionMixin, DirectiveRowsMixin, ObjectDeleteView):
    model = Directive

    def form_valid(self, form):
        self.success_session = self.object.session
        return super().form_valid(form)

    def get_success_url(self):
        session = getattr(self, "success_session", None)
        return session.get_absolute_url() if session else reverse("meetings:directive_list")


def _link(obj):
    if obj is None:
        return None
    try:
        return obj.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        return None


@register_model_view(Directive, "detail")
class DirectiveDetailView(ObjectDetailView):
    model = Directive
    template_name = "meetings/directive_detail.html"

    def base_queryset(self):
        return directive_rows().select_related(
            "assigned_by",
            "assigned_by_person",
            "task",
            "product",
            "ip_asset",
            "enterprise",
            "admin_unit__province",
            "admin_unit__parent",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        directive, user = self.object, self.request.user
        context["supporting"] = list(directive.supporting_organizations.all())
        context["reports"] = list(
            directive.reports.select_related("reported_by", "reviewed_by").order_by("reported_on", "pk")
        )
        context["events"] = list(directive.events.select_related("actor").order_by("happened_on", "pk"))
        for event in context["events"]:
            event.label = EVENT_LABELS.get(event.action, event.action)
        context["is_overdue"] = tables.is_overdue(directive)
        context["deadline_label"] = tables.deadline_label(directive)
        siblings, context["hidden_siblings"] = services.group_parts(user, directive)
        for sibling in siblings:
            sibling.is_overdue = tables.is_overdue(sibling)
            sibling.deadline_text = tables.deadline_label(sibling)
        context["siblings"] = siblings
        context["concerns"] = [
            (label, obj, _link(obj))
            for label, obj in (
                (_("S&T task"), directive.task),
                (_("Product"), directive.product),
                (_("IP asset"), directive.ip_asset),
                (_("Enterprise"), directive.enterprise),
                (_("Locality"), directive.admin_unit),
            )
            if obj is not None
        ]
        actions = services.available_actions(user, directive)
        context["action_forms"] = forms.action_forms(actions, bound=kwargs.get("bound_form"))
        context["refusals"] = kwargs.get("refusals", [])
        context["refused_action"] = kwargs.get("refused_action", "")
        return context


class DirectiveMoveView(DirectiveDetailView):
    """POST one move (`start`, `report`, …) from the directive's page; a refused move shows the page again
    with every reason and what was typed."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        self.object = self.get_object()  # 404 outside the user's scope
        directive = self.object
        if action not in services.MOVES:
            raise PermissionDenied
        refusal = services.refusal_for(request.user, directive, action)  # the move's named rule
        if refusal:
            raise core_rules.RuleRefused(refusal)
        form = forms.DirectiveActionForm(request.POST, request.FILES, action=action)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(bound_form=form, refused_action=action))
        data = form.cleaned_data
        try:
            services.move(
                directive,
                action,
                request.user,
                on=data["on"],
                note=data.get("note", ""),
                new_deadline=data.get("new_deadline"),
                text=data.get("text", ""),
                evidence=data.get("evidence"),
            )
        except services.MoveRefused as refused:
            self.object.refresh_from_db()
            return self.render_to_response(
                self.get_context_data(bound_form=form, refusals=refused.messages, refused_action=action)
            )
        except ValidationError as invalid:  # the report's evidence file, checked again by the model
            form.add_error(None, invalid)
            return self.render_to_response(self.get_context_data(bound_form=form, refused_action=action))
        messages.success(
            request, _("Recorded: %(action)s.") % {"action": forms.DirectiveActionForm.LABELS[action]}
        )
        return HttpResponseRedirect(directive.get_absolute_url())


class DirectiveReportEvidenceView(LoginRequiredMixin, generic.View):
    def get(self, request, pk):
        return protected_download(request, get_object_or_404(DirectiveReport, pk=pk), "evidence")


class OrganizationCheckboxesView(SearchOptionsView):
    """Matching organizations as boxes to tick, for `forms.SearchCheckboxes` (supporting units)."""

    model = Organization
    template_name = "meetings/organization_checkboxes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        name = self.request.GET.get("name", "")
        context["name"] = name if name.isidentifier() else "supporting_organizations"
        return context


@register_model_view(Directive, "add")
class DirectiveCreateView(BackToSessionMixin, ObjectCreateView):
    """One unit: the directive as ever. Several ("Also assigned to"): one part per unit, all saved or
    none (`services.assign_to_units`)."""

    model = Directive
    form_class = forms.DirectiveForm

    def form_valid(self, form):
        others = form.other_leads()
        if not others:
            return super().form_valid(form)
        directive, data = form.instance, form.cleaned_data
        try:
            group = services.assign_to_units(
                directive.session,
                directive.text,
                lead_organizations=[directive.lead_organization, *others],
                user=self.request.user,
                deadline=directive.deadline,
                supporting=list(data.get("supporting_organizations") or ()),
                **services.shared_fields(directive),
            )
        except services.UnitsOutOfScope as refused:
            form.add_error("lead_organizations", str(refused))
            return self.form_invalid(form)
        except ValidationError as invalid:
            form.add_error(None, invalid.messages)
            return self.form_invalid(form)
        self.object = group.parts.order_by("pk").first()
        messages.success(
            self.request,
            _("Saved “%(object)s” for %(count)s units, each tracked on its own.")
            % {"object": self.object, "count": group.parts.count()},
        )
        return HttpResponseRedirect(self.get_success_url())


@register_model_view(Directive, "edit")
class DirectiveUpdateView(BackToSessionMixin, DirectiveRowsMixin, ObjectUpdateView):
    model = Directive
    form_class = forms.DirectiveForm


@register_model_view(Directive, "deleted")
class DirectiveDeletedView(DeletedObjectsView):
    model = Directive

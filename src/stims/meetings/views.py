"""Pages of working sessions, their child records, locality requests and directives.

The session page reads like the minutes; the directive page shows its reports and timeline and offers
exactly the moves `services.available_actions` allows, each made by `services.move`.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from stims.core import permissions
from stims.core.files import protected_download
from stims.core.views import SearchOptionsView, child_views, model_views
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
    """Open directives past their deadline first, then by deadline (undated "regularly" ones last)."""
    late = Case(
        When(state__in=services.OPEN_STATES, deadline__lt=today, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return queryset.annotate(overdue_rank=late).order_by(
        "overdue_rank", F("deadline").asc(nulls_last=True), "pk"
    )


# --- Working sessions --------------------------------------------------------------------------------

session_views = model_views(
    WorkingSession,
    form_class=forms.WorkingSessionForm,
    table_class=tables.WorkingSessionTable,
    filterset_class=filters.WorkingSessionFilterSet,
    queryset=session_rows,
)


class WorkingSessionListView(session_views["list"]):
    def base_queryset(self):
        return (
            session_rows()
            .annotate(
                directive_count=Count("directives"),
                open_count=Count("directives", filter=Q(directives__state__in=services.OPEN_STATES)),
            )
            .order_by("-held_on", "-pk")
        )


class WorkingSessionDetailView(session_views["detail"]):
    """The session as its minutes would tell it: who met where and when, what was reported, what the
    locality asked for and got, and what was concluded, each directive with who does it by when."""

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


session_views["list"] = WorkingSessionListView
session_views["detail"] = WorkingSessionDetailView

participant_views = child_views(
    Participant,
    form_class=forms.ParticipantForm,
    parent_field="session",
    queryset=lambda: Participant.objects.select_related("session", "person", "organization"),
)
agenda_views = child_views(AgendaItem, form_class=forms.AgendaItemForm, parent_field="session")
document_views = child_views(SessionDocument, form_class=forms.SessionDocumentForm, parent_field="session")
figure_views = child_views(SessionFigure, form_class=forms.SessionFigureForm, parent_field="session")
request_views = child_views(
    LocalityRequest,
    form_class=forms.LocalityRequestForm,
    parent_field="session",
    queryset=lambda: LocalityRequest.objects.select_related(
        "session", "from_unit", "from_organization", "addressed_to"
    ),
)


class SessionDocumentDownloadView(LoginRequiredMixin, generic.View):
    def get(self, request, pk):
        return protected_download(request, get_object_or_404(SessionDocument, pk=pk))


# --- Locality requests --------------------------------------------------------------------------------


class LocalityRequestListView(
    model_views(
        LocalityRequest,
        form_class=forms.LocalityRequestForm,
        table_class=tables.LocalityRequestTable,
        filterset_class=filters.LocalityRequestFilterSet,
    )["list"]
):
    """Every request a locality raised, with the answer it got and the directives answering it."""

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


request_views["list"] = LocalityRequestListView


# --- Directives ----------------------------------------------------------------------------------------

directive_views = model_views(
    Directive,
    form_class=forms.DirectiveForm,
    table_class=tables.DirectiveTable,
    filterset_class=filters.DirectiveFilterSet,
    queryset=directive_rows,
)


class DirectiveListView(directive_views["list"]):
    """Overdue directives first, then by deadline; the table's headers re-sort."""

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


class DirectiveDeleteView(BackToSessionMixin, directive_views["delete"]):
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


class DirectiveDetailView(directive_views["detail"]):
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
        if action not in services.MOVES or not services.allowed(request.user, directive, action):
            raise PermissionDenied
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


directive_views["list"] = DirectiveListView
directive_views["detail"] = DirectiveDetailView
directive_views["add"] = type("DirectiveCreateView", (BackToSessionMixin, directive_views["add"]), {})
directive_views["edit"] = type("DirectiveUpdateView", (BackToSessionMixin, directive_views["edit"]), {})
directive_views["delete"] = DirectiveDeleteView

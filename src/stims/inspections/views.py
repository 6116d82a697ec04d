"""The pages of standards, metrology and quality: one class per page (docs/adding-a-domain.md)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import generic

from stims.core import permissions
from stims.core import rules as core_rules
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

from . import dashboards, filters, forms, services, tables
from .models import (
    Establishment,
    FollowUp,
    Inspection,
    InspectionDecision,
    InspectionPlan,
    MeasuringInstrument,
    RadiationLicence,
    RadiationSource,
    Sanction,
    Violation,
)


def _can(user, model) -> dict[str, bool]:
    return {
        "add": permissions.has_perm(user, permissions.ADD, model),
        "change": permissions.has_perm(user, permissions.CHANGE, model),
    }


# --- Establishments ---------------------------------------------------------------------------------


class EstablishmentRowsMixin:
    def base_queryset(self):
        return Establishment.objects.select_related("sector", "organization", "admin_unit")


@register_model_view(Establishment, "list")
class EstablishmentListView(EstablishmentRowsMixin, ObjectListView):
    model = Establishment
    table_class = tables.EstablishmentTable
    filterset_class = filters.EstablishmentFilterSet


@register_model_view(Establishment, "detail")
class EstablishmentDetailView(EstablishmentRowsMixin, ObjectDetailView):
    """The establishment's full history: its inspections with their violations and fines, its
    measuring instruments, its radiation sources and licences, the labelling guidance given to it and
    its quality declarations (with their products)."""

    model = Establishment

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, establishment = self.request.user, self.object
        inspections = list(
            permissions.restrict(establishment.inspections.all(), user)
            .select_related("decision", "lead_inspector")
            .prefetch_related("violations__violation_type", "sanctions")
            .order_by("-planned_on", "-pk")
        )
        context["inspections"] = inspections
        context["fines_total"] = sum(i.fines_total for i in inspections)
        context["violation_count"] = sum(len(i.violations.all()) for i in inspections)
        today = timezone.localdate()
        context["today"] = today
        context["instruments"] = permissions.restrict(establishment.instruments.all(), user)
        context["sources"] = permissions.restrict(establishment.radiation_sources.all(), user)
        context["licences"] = permissions.restrict(establishment.radiation_licences.all(), user)
        # Guidance given to it and quality declarations it made (kept with their products, stims.products).
        context["guidance"] = permissions.restrict(
            establishment.labelling_guidance.select_related("product", "given_by"), user
        )
        context["declarations"] = permissions.restrict(
            establishment.quality_declarations.select_related("product"), user
        )
        context["can"] = {
            "inspection": _can(user, Inspection),
            "instrument": _can(user, MeasuringInstrument),
            "source": _can(user, RadiationSource),
            "licence": _can(user, RadiationLicence),
        }
        return context


@register_model_view(Establishment, "add")
class EstablishmentCreateView(ObjectCreateView):
    model = Establishment
    form_class = forms.EstablishmentForm


@register_model_view(Establishment, "edit")
class EstablishmentUpdateView(EstablishmentRowsMixin, ObjectUpdateView):
    model = Establishment
    form_class = forms.EstablishmentForm


@register_model_view(Establishment, "delete")
class EstablishmentDeleteView(EstablishmentRowsMixin, ObjectDeleteView):
    model = Establishment


@register_model_view(Establishment, "deleted")
class EstablishmentDeletedView(DeletedObjectsView):
    model = Establishment


class EstablishmentOptionsView(SearchOptionsView):
    model = Establishment


# --- Plans and decisions ----------------------------------------------------------------------------


class InspectionPlanRowsMixin:
    def base_queryset(self):
        return InspectionPlan.objects.select_related("sector", "admin_unit")


@register_model_view(InspectionPlan, "list")
class InspectionPlanListView(InspectionPlanRowsMixin, ObjectListView):
    model = InspectionPlan
    table_class = tables.InspectionPlanTable
    filterset_class = filters.InspectionPlanFilterSet


INSPECTIONS_PER_PAGE = 50


@register_model_view(InspectionPlan, "detail")
class InspectionPlanDetailView(InspectionPlanRowsMixin, ObjectDetailView):
    model = InspectionPlan

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["decisions"] = permissions.restrict(self.object.decisions.all(), user).order_by(
            "signed_on", "pk"
        )
        # A page of the plan's inspections at a time: a national plan holds thousands (14,162 in the
        # national data set, 3 s to show them all; issue #20).
        # By the decisions' keys: joined to the decisions, the planner expects the plan's rows spread over
        # the country's and walks every inspection in date order to find the page (1.8 s).
        decisions = list(self.object.decisions.values_list("pk", flat=True))
        inspections = (
            permissions.restrict(Inspection.objects.filter(decision__in=decisions), user)
            .select_related("establishment", "decision")
            .order_by("planned_on", "pk")
        )
        context["inspections"] = Paginator(inspections, INSPECTIONS_PER_PAGE).get_page(
            self.request.GET.get("inspections_page")
        )
        context["can"] = {"decision": _can(user, InspectionDecision), "inspection": _can(user, Inspection)}
        return context


@register_model_view(InspectionPlan, "add")
class InspectionPlanCreateView(ObjectCreateView):
    model = InspectionPlan
    form_class = forms.InspectionPlanForm


@register_model_view(InspectionPlan, "edit")
class InspectionPlanUpdateView(InspectionPlanRowsMixin, ObjectUpdateView):
    model = InspectionPlan
    form_class = forms.InspectionPlanForm


@register_model_view(InspectionPlan, "delete")
class InspectionPlanDeleteView(InspectionPlanRowsMixin, ObjectDeleteView):
    model = InspectionPlan


@register_model_view(InspectionPlan, "deleted")
class InspectionPlanDeletedView(DeletedObjectsView):
    model = InspectionPlan


class InspectionDecisionRowsMixin:
    def base_queryset(self):
        return InspectionDecision.objects.select_related("plan")


@register_model_view(InspectionDecision, "detail")
class InspectionDecisionDetailView(InspectionDecisionRowsMixin, ObjectDetailView):
    model = InspectionDecision


@register_model_view(InspectionDecision, "add")
class InspectionDecisionCreateView(ChildRecordMixin, ObjectCreateView):
    model = InspectionDecision
    form_class = forms.InspectionDecisionForm
    parent_field = "plan"


@register_model_view(InspectionDecision, "edit")
class InspectionDecisionUpdateView(ChildRecordMixin, InspectionDecisionRowsMixin, ObjectUpdateView):
    model = InspectionDecision
    form_class = forms.InspectionDecisionForm
    parent_field = "plan"


@register_model_view(InspectionDecision, "delete")
class InspectionDecisionDeleteView(ChildRecordMixin, InspectionDecisionRowsMixin, ObjectDeleteView):
    model = InspectionDecision
    parent_field = "plan"


# --- Inspections ------------------------------------------------------------------------------------


class InspectionRowsMixin:
    def base_queryset(self):
        return Inspection.objects.select_related(
            "establishment__sector", "establishment__admin_unit", "decision__plan", "lead_inspector"
        )


@register_model_view(Inspection, "list")
class InspectionListView(InspectionRowsMixin, ObjectListView):
    model = Inspection
    table_class = tables.InspectionTable
    filterset_class = filters.InspectionFilterSet


@register_model_view(Inspection, "detail")
class InspectionDetailView(InspectionRowsMixin, ObjectDetailView):
    model = Inspection

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, inspection = self.request.user, self.object
        context["team"] = inspection.team.order_by("username")
        context["violations"] = inspection.violations.select_related("violation_type")
        context["sanctions"] = inspection.sanctions.all()
        context["follow_ups"] = inspection.follow_ups.all()
        context["events"] = inspection.events.select_related("actor")
        context["fines_total"] = inspection.fines_total
        frozen = inspection.state in services.FROZEN_STATES
        context["can"] = {
            key: {k: v and not frozen for k, v in _can(user, model).items()}
            for key, model in {"violation": Violation, "sanction": Sanction, "follow_up": FollowUp}.items()
        }
        context["moves"] = [
            (action, services.ACTION_LABELS[action]) for action in services.offered_moves(user, inspection)
        ]
        context.setdefault("move_form", forms.MoveForm())
        return context


@register_model_view(Inspection, "add")
class InspectionCreateView(ObjectCreateView):
    model = Inspection
    form_class = forms.InspectionForm


@register_model_view(Inspection, "edit")
class InspectionUpdateView(InspectionRowsMixin, ObjectUpdateView):
    model = Inspection
    form_class = forms.InspectionForm


@register_model_view(Inspection, "delete")
class InspectionDeleteView(InspectionRowsMixin, ObjectDeleteView):
    model = Inspection


@register_model_view(Inspection, "deleted")
class InspectionDeletedView(DeletedObjectsView):
    model = Inspection


class InspectionMoveView(InspectionDetailView):
    """POST one move (`start`, `conclude`, …) from the inspection's page; a refused move shows the page
    again with every reason and what was typed."""

    http_method_names = ["post"]

    def post(self, request, pk, action):
        self.object = self.get_object()  # 404 outside the user's scope
        inspection = self.object
        if action not in services.MOVES:
            raise PermissionDenied
        core_rules.require(services.MOVES[action][2], request.user, inspection)
        form = forms.MoveForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(move_form=form, refused_action=action))
        try:
            services.move(
                inspection, action, request.user, on=form.cleaned_data["on"], note=form.cleaned_data["note"]
            )
        except services.MoveRefused as refused:
            self.object.refresh_from_db()
            return self.render_to_response(
                self.get_context_data(move_form=form, refusals=refused.reasons, refused_action=action)
            )
        messages.success(request, _("Recorded: %(action)s.") % {"action": services.ACTION_LABELS[action]})
        return HttpResponseRedirect(inspection.get_absolute_url())


# --- Records that live on an inspection's or an establishment's page ---------------------------------
#
# Violations, sanctions and follow-ups are added from their inspection's page; instruments, radiation
# sources and licences from their establishment's. Each page below says only its model, form and rows;
# what adding, editing and deleting such a record means is said once, by these bases.


class InspectionRecordMixin(ChildRecordMixin):
    """A record of an inspection: back to the inspection's page once saved or deleted."""

    parent_field = "inspection"


class EstablishmentRecordMixin(ChildRecordMixin):
    """A record of an establishment: back to the establishment's page once saved or deleted."""

    parent_field = "establishment"


class ViolationRowsMixin:
    def base_queryset(self):
        return Violation.objects.select_related("violation_type", "inspection__establishment")


@register_model_view(Violation, "list")
class ViolationListView(ViolationRowsMixin, ObjectListView):
    model = Violation
    table_class = tables.ViolationTable
    filterset_class = filters.ViolationFilterSet


@register_model_view(Violation, "detail")
class ViolationDetailView(ViolationRowsMixin, ObjectDetailView):
    model = Violation


@register_model_view(Violation, "add")
class ViolationCreateView(InspectionRecordMixin, ObjectCreateView):
    model, form_class = Violation, forms.ViolationForm


@register_model_view(Violation, "edit")
class ViolationUpdateView(InspectionRecordMixin, ViolationRowsMixin, ObjectUpdateView):
    model, form_class = Violation, forms.ViolationForm


@register_model_view(Violation, "delete")
class ViolationDeleteView(InspectionRecordMixin, ViolationRowsMixin, ObjectDeleteView):
    model = Violation


@register_model_view(Sanction, "detail")
class SanctionDetailView(ObjectDetailView):
    model = Sanction


@register_model_view(Sanction, "add")
class SanctionCreateView(InspectionRecordMixin, ObjectCreateView):
    model, form_class = Sanction, forms.SanctionForm


@register_model_view(Sanction, "edit")
class SanctionUpdateView(InspectionRecordMixin, ObjectUpdateView):
    model, form_class = Sanction, forms.SanctionForm


@register_model_view(Sanction, "delete")
class SanctionDeleteView(InspectionRecordMixin, ObjectDeleteView):
    model = Sanction


@register_model_view(FollowUp, "detail")
class FollowUpDetailView(ObjectDetailView):
    model = FollowUp


@register_model_view(FollowUp, "add")
class FollowUpCreateView(InspectionRecordMixin, ObjectCreateView):
    model, form_class = FollowUp, forms.FollowUpForm


@register_model_view(FollowUp, "edit")
class FollowUpUpdateView(InspectionRecordMixin, ObjectUpdateView):
    model, form_class = FollowUp, forms.FollowUpForm


@register_model_view(FollowUp, "delete")
class FollowUpDeleteView(InspectionRecordMixin, ObjectDeleteView):
    model = FollowUp


class MeasuringInstrumentRowsMixin:
    def base_queryset(self):
        return MeasuringInstrument.objects.select_related("establishment")


@register_model_view(MeasuringInstrument, "list")
class MeasuringInstrumentListView(MeasuringInstrumentRowsMixin, ObjectListView):
    model = MeasuringInstrument
    table_class = tables.MeasuringInstrumentTable
    filterset_class = filters.MeasuringInstrumentFilterSet


@register_model_view(MeasuringInstrument, "detail")
class MeasuringInstrumentDetailView(MeasuringInstrumentRowsMixin, ObjectDetailView):
    model = MeasuringInstrument


@register_model_view(MeasuringInstrument, "add")
class MeasuringInstrumentCreateView(EstablishmentRecordMixin, ObjectCreateView):
    model, form_class = MeasuringInstrument, forms.MeasuringInstrumentForm


@register_model_view(MeasuringInstrument, "edit")
class MeasuringInstrumentUpdateView(EstablishmentRecordMixin, MeasuringInstrumentRowsMixin, ObjectUpdateView):
    model, form_class = MeasuringInstrument, forms.MeasuringInstrumentForm


@register_model_view(MeasuringInstrument, "delete")
class MeasuringInstrumentDeleteView(EstablishmentRecordMixin, MeasuringInstrumentRowsMixin, ObjectDeleteView):
    model = MeasuringInstrument


@register_model_view(RadiationSource, "detail")
class RadiationSourceDetailView(ObjectDetailView):
    model = RadiationSource


@register_model_view(RadiationSource, "add")
class RadiationSourceCreateView(EstablishmentRecordMixin, ObjectCreateView):
    model, form_class = RadiationSource, forms.RadiationSourceForm


@register_model_view(RadiationSource, "edit")
class RadiationSourceUpdateView(EstablishmentRecordMixin, ObjectUpdateView):
    model, form_class = RadiationSource, forms.RadiationSourceForm


@register_model_view(RadiationSource, "delete")
class RadiationSourceDeleteView(EstablishmentRecordMixin, ObjectDeleteView):
    model = RadiationSource


class RadiationLicenceRowsMixin:
    def base_queryset(self):
        return RadiationLicence.objects.select_related("establishment")


@register_model_view(RadiationLicence, "list")
class RadiationLicenceListView(RadiationLicenceRowsMixin, ObjectListView):
    model = RadiationLicence
    table_class = tables.RadiationLicenceTable
    filterset_class = filters.RadiationLicenceFilterSet


@register_model_view(RadiationLicence, "detail")
class RadiationLicenceDetailView(RadiationLicenceRowsMixin, ObjectDetailView):
    model = RadiationLicence


@register_model_view(RadiationLicence, "add")
class RadiationLicenceCreateView(EstablishmentRecordMixin, ObjectCreateView):
    model, form_class = RadiationLicence, forms.RadiationLicenceForm


@register_model_view(RadiationLicence, "edit")
class RadiationLicenceUpdateView(EstablishmentRecordMixin, RadiationLicenceRowsMixin, ObjectUpdateView):
    model, form_class = RadiationLicence, forms.RadiationLicenceForm


@register_model_view(RadiationLicence, "delete")
class RadiationLicenceDeleteView(EstablishmentRecordMixin, RadiationLicenceRowsMixin, ObjectDeleteView):
    model = RadiationLicence


# --- Dashboard --------------------------------------------------------------------------------------


class QualityDashboardView(ModelPermissionMixin, generic.TemplateView):
    """Inspections by sector and result, the violation rate, fines, licences expiring and instruments
    due, over the inspections the user may see, for one year."""

    model = Inspection
    template_name = "inspections/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year_text = self.request.GET.get("year", "")
        year = int(year_text) if year_text.isdigit() else None
        context.update(dashboards.cached_figures(self.request.user, year))
        context.update(self.model_context())
        return context

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import generic

from stims.core import permissions
from stims.core.search import ranked
from stims.core.views import ObjectDetailView, ObjectListView, register_model_view

from . import services
from .filters import AdminUnitFilterSet
from .models import AdminUnit
from .panels import unit_sections
from .tables import AdminUnitTable


@register_model_view(AdminUnit, "list")
class AdminUnitListView(ObjectListView):
    model = AdminUnit
    table_class = AdminUnitTable
    filterset_class = AdminUnitFilterSet

    def base_queryset(self):
        return AdminUnit.objects.select_related("parent", "province")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = False  # units come from the official packages (`stims load_units`)
        return context


@register_model_view(AdminUnit, "detail")
class AdminUnitDetailView(ObjectDetailView):
    model = AdminUnit
    template_name = "geo/adminunit_detail.html"

    def base_queryset(self):
        return AdminUnit.objects.select_related("parent", "province")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit, user = self.object, self.request.user
        context["can_change"] = context["can_delete"] = False
        context["children"] = unit.children.order_by("code")
        context["successors"] = (
            services.current_successors(unit).select_related("province") if unit.is_legacy else []
        )
        context["predecessors"] = (
            AdminUnit.objects.filter(successions__successor=unit)
            .select_related("parent", "province")
            .order_by("code")
            if not unit.is_legacy
            else []
        )
        context["current_province"] = services.current_province(unit)
        # What other apps attach to the unit (orgs: its organizations and local bodies).
        context["unit_sections"], sections = unit_sections(unit, user)
        context.update(sections)
        return context


class AdminUnitOptionsView(LoginRequiredMixin, generic.TemplateView):
    """Options for the unit search box in forms (htmx): the units the user may use, best match first."""

    template_name = "core/select_options.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, query = self.request.user, self.request.GET.get("q", "")
        units = AdminUnit.objects.all()
        target = self.request.GET.get("for", "")
        if target:
            from django.apps import apps

            try:
                units = permissions.assignable_units(user, apps.get_model(target), permissions.ADD)
            except (LookupError, ValueError):
                units = AdminUnit.objects.none()
        elif not permissions.has_perm(user, permissions.VIEW, AdminUnit):
            units = AdminUnit.objects.none()
        context["options"] = (
            list(ranked(units, query).select_related("parent", "province")[:30]) if query.strip() else []
        )
        return context

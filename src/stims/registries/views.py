"""The registry dashboard (figures of a locality, per-locality table, progress against targets) and
the targets' pages."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import generic

from stims.core import permissions
from stims.core.db_routing import ReadsFromReplica
from stims.core.views import (
    DeletedObjectsView,
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    register_model_view,
)
from stims.geo.models import AdminUnit, Level
from stims.products.models import Product

from . import figures as registry_figures
from . import filters, forms, tables
from .models import Target


class DashboardView(ReadsFromReplica, LoginRequiredMixin, generic.TemplateView):
    """Figures of a locality (default: the home province) for a year (default: this year).

    Everything comes from `figures.figures_for`, which the API's `/api/registries/figures/` also
    calls; figures count only the records the user may see.
    """

    template_name = "registries/dashboard.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.has_perm(
            request.user, permissions.VIEW, Product
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            unit, year = registry_figures.parse_params(self.request.GET)
        except (AdminUnit.DoesNotExist, registry_figures.BadParameter) as exc:
            raise Http404(str(exc)) from exc
        is_province = unit.level == Level.PROVINCE
        figures, rows = registry_figures.cached_figures_for(unit, year, self.request.user)
        province = registry_figures.home_province()
        this_year = timezone.localdate().year
        target_years = set(Target.objects.values_list("year", flat=True).distinct())
        years = sorted(target_years | set(range(this_year - 5, this_year + 2)) | {year}, reverse=True)
        top = max([row.ocop_products for row in rows] + [1])
        groups = registry_figures.locality_choices(province) if province else []
        if not any(unit.pk == u.pk for _label, members in groups for u in members):
            groups = [(_("Selected locality"), [unit]), *groups]  # a unit of another province, by URL
        try:
            reverse("ip:ipasset_detail", args=[1])
            ip_links = True
        except NoReverseMatch:  # the IP pages are not installed in this deployment
            ip_links = False
        context.update(
            {
                "unit": unit,
                "year": year,
                "years": years,
                "figures": figures,
                "rows": [{"row": row, "width": round(100 * row.ocop_products / top)} for row in rows],
                "is_province": is_province,
                "locality_groups": groups,
                "ip_links": ip_links,
                "can_add_target": permissions.has_perm(self.request.user, permissions.ADD, Target),
                "expiry_window_days": registry_figures.EXPIRY_WINDOW_DAYS,
            }
        )
        return context


# --- Targets ------------------------------------------------------------------------------------------


class TargetRowsMixin:
    def base_queryset(self):
        return Target.objects.select_related("admin_unit")


@register_model_view(Target, "list")
class TargetListView(TargetRowsMixin, ObjectListView):
    model = Target
    table_class = tables.TargetTable
    filterset_class = filters.TargetFilterSet


@register_model_view(Target, "detail")
class TargetDetailView(TargetRowsMixin, ObjectDetailView):
    model = Target


@register_model_view(Target, "add")
class TargetCreateView(ObjectCreateView):
    model = Target
    form_class = forms.TargetForm


@register_model_view(Target, "edit")
class TargetUpdateView(TargetRowsMixin, ObjectUpdateView):
    model = Target
    form_class = forms.TargetForm


@register_model_view(Target, "delete")
class TargetDeleteView(TargetRowsMixin, ObjectDeleteView):
    model = Target


@register_model_view(Target, "deleted")
class TargetDeletedView(DeletedObjectsView):
    model = Target

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from stims.core import permissions
from stims.core import rules as core_rules
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

from . import filters, forms, services, tables
from . import rules as enterprise_rules
from .models import Startup, StartupFounder, StartupSupport, StEnterprise, StIncentive, StRevenueShare


def enterprise_queryset():
    return services.with_latest_share(
        StEnterprise.objects.select_related("organization__admin_unit", "issued_by")
    )


def startup_queryset():
    founders = (
        StartupFounder.objects.filter(startup=OuterRef("pk"))
        .values("startup")
        .annotate(n=Count("pk"))
        .values("n")
    )
    supports = (
        StartupSupport.objects.filter(startup=OuterRef("pk"))
        .values("startup")
        .annotate(last=Max("date"))
        .values("last")
    )
    return Startup.objects.select_related("admin_unit", "organization").annotate(
        founder_count=Coalesce(Subquery(founders, output_field=IntegerField()), 0),
        last_support=Subquery(supports),
    )


# --- S&T enterprises ----------------------------------------------------------------------------------


class StEnterpriseRowsMixin:
    def base_queryset(self):
        return enterprise_queryset()


@register_model_view(StEnterprise, "list")
class StEnterpriseListView(StEnterpriseRowsMixin, ObjectListView):
    model = StEnterprise
    table_class = tables.StEnterpriseTable
    filterset_class = filters.StEnterpriseFilterSet


@register_model_view(StEnterprise, "detail")
class StEnterpriseDetailView(StEnterpriseRowsMixin, ObjectDetailView):
    model = StEnterprise

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, enterprise = self.request.user, self.object
        context["revenues"] = services.revenue_by_year(enterprise)
        context["threshold"] = services.revenue_share_threshold()
        context["incentives"] = enterprise.incentives.order_by("-year", "kind")
        context["can_add_revenue"] = context["can_change"] and permissions.has_perm(
            user, permissions.ADD, StRevenueShare
        )
        context["can_add_incentive"] = context["can_change"] and permissions.has_perm(
            user, permissions.ADD, StIncentive
        )
        context["can_revoke"] = enterprise.revoked_on is None and enterprise_rules.has(
            enterprise_rules.REVOKE_CERTIFICATE, user, enterprise
        )
        if context["can_revoke"]:
            context["revoke_form"] = kwargs.get("revoke_form") or forms.RevokeForm()
        return context


@register_model_view(StEnterprise, "add")
class StEnterpriseCreateView(ObjectCreateView):
    model = StEnterprise
    form_class = forms.StEnterpriseForm


@register_model_view(StEnterprise, "edit")
class StEnterpriseUpdateView(StEnterpriseRowsMixin, ObjectUpdateView):
    model = StEnterprise
    form_class = forms.StEnterpriseForm


@register_model_view(StEnterprise, "delete")
class StEnterpriseDeleteView(StEnterpriseRowsMixin, ObjectDeleteView):
    model = StEnterprise


@register_model_view(StEnterprise, "deleted")
class StEnterpriseDeletedView(DeletedObjectsView):
    model = StEnterprise


class StEnterpriseRevokeView(LoginRequiredMixin, generic.View):
    """POST only: records the revocation through `services.revoke`; errors are shown on the page."""

    def post(self, request, pk):
        if not permissions.has_perm(request.user, permissions.CHANGE, StEnterprise):
            raise PermissionDenied  # no grant at all: refused before any lookup, like the core views
        enterprise = get_object_or_404(
            permissions.restrict(StEnterprise.objects.all(), request.user), pk=pk
        )  # 404
        if not enterprise_rules.has(enterprise_rules.REVOKE_CERTIFICATE, request.user, enterprise):  # 403
            raise core_rules.deny(enterprise_rules.REVOKE_CERTIFICATE, enterprise=enterprise)
        form = forms.RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.revoke(
                    enterprise, form.cleaned_data["on_date"], form.cleaned_data["reason"], request.user
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("The certificate of “%(object)s” is recorded as revoked.") % {"object": enterprise},
                )
                return HttpResponseRedirect(reverse("enterprises:stenterprise_detail", args=[enterprise.pk]))
        view = StEnterpriseDetailView()
        view.setup(request, pk=pk)
        view.object = view.get_object()
        response = view.render_to_response(view.get_context_data(object=view.object, revoke_form=form))
        response.status_code = 400
        return response


# --- Revenue shares and incentives: on their enterprise's page ---------------------------------------------


class StRevenueShareRowsMixin:
    def base_queryset(self):
        return StRevenueShare.objects.select_related("enterprise")


@register_model_view(StRevenueShare, "detail")
class StRevenueShareDetailView(StRevenueShareRowsMixin, ObjectDetailView):
    model = StRevenueShare


@register_model_view(StRevenueShare, "add")
class StRevenueShareCreateView(ChildRecordMixin, ObjectCreateView):
    model = StRevenueShare
    form_class = forms.StRevenueShareForm
    parent_field = "enterprise"


@register_model_view(StRevenueShare, "edit")
class StRevenueShareUpdateView(ChildRecordMixin, StRevenueShareRowsMixin, ObjectUpdateView):
    model = StRevenueShare
    form_class = forms.StRevenueShareForm
    parent_field = "enterprise"


@register_model_view(StRevenueShare, "delete")
class StRevenueShareDeleteView(ChildRecordMixin, StRevenueShareRowsMixin, ObjectDeleteView):
    model = StRevenueShare
    parent_field = "enterprise"


class StIncentiveRowsMixin:
    def base_queryset(self):
        return StIncentive.objects.select_related("enterprise")


@register_model_view(StIncentive, "detail")
class StIncentiveDetailView(StIncentiveRowsMixin, ObjectDetailView):
    model = StIncentive


@register_model_view(StIncentive, "add")
class StIncentiveCreateView(ChildRecordMixin, ObjectCreateView):
    model = StIncentive
    form_class = forms.StIncentiveForm
    parent_field = "enterprise"


@register_model_view(StIncentive, "edit")
class StIncentiveUpdateView(ChildRecordMixin, StIncentiveRowsMixin, ObjectUpdateView):
    model = StIncentive
    form_class = forms.StIncentiveForm
    parent_field = "enterprise"


@register_model_view(StIncentive, "delete")
class StIncentiveDeleteView(ChildRecordMixin, StIncentiveRowsMixin, ObjectDeleteView):
    model = StIncentive
    parent_field = "enterprise"


# --- Start-ups ----------------------------------------------------------------------------------------


class StartupRowsMixin:
    def base_queryset(self):
        return startup_queryset()


@register_model_view(Startup, "list")
class StartupListView(StartupRowsMixin, ObjectListView):
    model = Startup
    table_class = tables.StartupTable
    filterset_class = filters.StartupFilterSet


@register_model_view(Startup, "detail")
class StartupDetailView(StartupRowsMixin, ObjectDetailView):
    model = Startup

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, startup = self.request.user, self.object
        context["founders"] = startup.founders.select_related("person").order_by("pk")
        context["supports"] = startup.supports.select_related("provider").order_by("-date", "-pk")
        context["can_add_founder"] = context["can_change"] and permissions.has_perm(
            user, permissions.ADD, StartupFounder
        )
        context["can_add_support"] = context["can_change"] and permissions.has_perm(
            user, permissions.ADD, StartupSupport
        )
        return context


@register_model_view(Startup, "add")
class StartupCreateView(ObjectCreateView):
    model = Startup
    form_class = forms.StartupForm


@register_model_view(Startup, "edit")
class StartupUpdateView(StartupRowsMixin, ObjectUpdateView):
    model = Startup
    form_class = forms.StartupForm


@register_model_view(Startup, "delete")
class StartupDeleteView(StartupRowsMixin, ObjectDeleteView):
    model = Startup


@register_model_view(Startup, "deleted")
class StartupDeletedView(DeletedObjectsView):
    model = Startup


# --- Founders and support: on their start-up's page -------------------------------------------------------


class StartupFounderRowsMixin:
    def base_queryset(self):
        return StartupFounder.objects.select_related("startup")


@register_model_view(StartupFounder, "detail")
class StartupFounderDetailView(StartupFounderRowsMixin, ObjectDetailView):
    model = StartupFounder


@register_model_view(StartupFounder, "add")
class StartupFounderCreateView(ChildRecordMixin, ObjectCreateView):
    model = StartupFounder
    form_class = forms.StartupFounderForm
    parent_field = "startup"


@register_model_view(StartupFounder, "edit")
class StartupFounderUpdateView(ChildRecordMixin, StartupFounderRowsMixin, ObjectUpdateView):
    model = StartupFounder
    form_class = forms.StartupFounderForm
    parent_field = "startup"


@register_model_view(StartupFounder, "delete")
class StartupFounderDeleteView(ChildRecordMixin, StartupFounderRowsMixin, ObjectDeleteView):
    model = StartupFounder
    parent_field = "startup"


class StartupSupportRowsMixin:
    def base_queryset(self):
        return StartupSupport.objects.select_related("startup")


@register_model_view(StartupSupport, "detail")
class StartupSupportDetailView(StartupSupportRowsMixin, ObjectDetailView):
    model = StartupSupport


@register_model_view(StartupSupport, "add")
class StartupSupportCreateView(ChildRecordMixin, ObjectCreateView):
    model = StartupSupport
    form_class = forms.StartupSupportForm
    parent_field = "startup"


@register_model_view(StartupSupport, "edit")
class StartupSupportUpdateView(ChildRecordMixin, StartupSupportRowsMixin, ObjectUpdateView):
    model = StartupSupport
    form_class = forms.StartupSupportForm
    parent_field = "startup"


@register_model_view(StartupSupport, "delete")
class StartupSupportDeleteView(ChildRecordMixin, StartupSupportRowsMixin, ObjectDeleteView):
    model = StartupSupport
    parent_field = "startup"


class EnterpriseOrganizationOptionsView(SearchOptionsView):
    """Options for the certificate form's enterprise box: organizations of kind enterprise."""

    def base_queryset(self):
        from stims.orgs.models import Organization, OrganizationKind

        return Organization.objects.filter(kind=OrganizationKind.ENTERPRISE)

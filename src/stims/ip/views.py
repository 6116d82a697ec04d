from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
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
from . import rules as ip_rules
from .models import IpAsset, IpAuthorizedUser, IpStatusEvent


def _product_url(product) -> str | None:
    try:
        return reverse("products:product_detail", args=[product.pk])
    except NoReverseMatch:  # the products pages are not there yet
        return None


def _event_users(events) -> dict:
    """Who recorded each status change, from the events' creation history (one query)."""
    history = IpStatusEvent.history.model.objects.filter(
        id__in=[e.pk for e in events], history_type="+"
    ).select_related("history_user")
    return {h.id: h.history_user for h in history}


# --- Assets -------------------------------------------------------------------------------------------


class IpAssetRowsMixin:
    def base_queryset(self):
        return IpAsset.objects.select_related("ip_type", "status", "owner", "admin_unit")


@register_model_view(IpAsset, "list")
class IpAssetListView(IpAssetRowsMixin, ObjectListView):
    model = IpAsset
    table_class = tables.IpAssetTable
    filterset_class = filters.IpAssetFilterSet


@register_model_view(IpAsset, "detail")
class IpAssetDetailView(IpAssetRowsMixin, ObjectDetailView):
    model = IpAsset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        asset, user = self.object, self.request.user
        events = list(asset.status_events.select_related("status").order_by("-date", "-pk"))
        users = _event_users(events)
        for event in events:
            event.recorded_by = users.get(event.pk)
        context["status_events"] = events
        context["renewals"] = list(asset.renewals.order_by("-renewed_on", "-pk"))
        context["authorized_users"] = list(
            asset.authorized_users.select_related("organization").order_by("name", "pk")
        )
        products = permissions.restrict(asset.products.select_related("admin_unit"), user)
        context["linked_products"] = [(p, _product_url(p)) for p in products]
        context["hidden_product_count"] = asset.products.count() - len(context["linked_products"])
        context["expires_soon"] = services.expires_soon(asset)
        context["has_lapsed"] = services.has_lapsed(asset)
        can_change = context["can_change"]
        context["can_record_status"] = not asset.status.is_final and ip_rules.has(
            ip_rules.RECORD_STATUS, user, asset
        )
        context["can_renew"] = (
            asset.ip_type.renewable
            and asset.status.is_protected
            and ip_rules.has(ip_rules.RENEW, user, asset)
        )
        context["can_add_authorized_user"] = can_change and permissions.has_perm(
            user, permissions.ADD, IpAuthorizedUser
        )
        if context["can_record_status"]:
            context.setdefault("status_form", forms.StatusChangeForm(asset=asset, user=user))
        if context["can_renew"]:
            context.setdefault("renewal_form", forms.RenewalForm(asset=asset, user=user))
        return context


@register_model_view(IpAsset, "add")
class IpAssetCreateView(ObjectCreateView):
    model = IpAsset
    form_class = forms.IpAssetForm


@register_model_view(IpAsset, "edit")
class IpAssetUpdateView(IpAssetRowsMixin, ObjectUpdateView):
    model = IpAsset
    form_class = forms.IpAssetForm


@register_model_view(IpAsset, "delete")
class IpAssetDeleteView(IpAssetRowsMixin, ObjectDeleteView):
    model = IpAsset


@register_model_view(IpAsset, "deleted")
class IpAssetDeletedView(DeletedObjectsView):
    model = IpAsset


# --- Authorised users: on their asset's page ------------------------------------------------------------


class IpAuthorizedUserRowsMixin:
    def base_queryset(self):
        return IpAuthorizedUser.objects.select_related("asset", "organization")


@register_model_view(IpAuthorizedUser, "detail")
class IpAuthorizedUserDetailView(IpAuthorizedUserRowsMixin, ObjectDetailView):
    model = IpAuthorizedUser


@register_model_view(IpAuthorizedUser, "add")
class IpAuthorizedUserCreateView(ChildRecordMixin, ObjectCreateView):
    model = IpAuthorizedUser
    form_class = forms.IpAuthorizedUserForm
    parent_field = "asset"


@register_model_view(IpAuthorizedUser, "edit")
class IpAuthorizedUserUpdateView(ChildRecordMixin, IpAuthorizedUserRowsMixin, ObjectUpdateView):
    model = IpAuthorizedUser
    form_class = forms.IpAuthorizedUserForm
    parent_field = "asset"


@register_model_view(IpAuthorizedUser, "delete")
class IpAuthorizedUserDeleteView(ChildRecordMixin, IpAuthorizedUserRowsMixin, ObjectDeleteView):
    model = IpAuthorizedUser
    parent_field = "asset"


class _AssetActionView(LoginRequiredMixin, generic.View):
    """A POST on an asset's page that goes through the services: 404 outside the user's scope, 403 with
    the reason when the user does not pass the action's rule (`ip.rules`); a refused form re-renders the
    page."""

    form_class = None
    rule = ""
    context_name = ""
    success_message = ""

    def get_asset(self):
        visible = permissions.restrict(IpAsset.objects.select_related("ip_type", "status"), self.request.user)
        asset = get_object_or_404(visible, pk=self.kwargs["pk"])
        if not ip_rules.has(self.rule, self.request.user, asset):
            raise core_rules.deny(self.rule, asset=asset)
        return asset

    def get(self, request, *args, **kwargs):
        asset = self.get_asset()
        return HttpResponseRedirect(reverse("ip:ipasset_detail", args=[asset.pk]))

    def post(self, request, *args, **kwargs):
        asset = self.get_asset()
        form = self.form_class(request.POST, asset=asset, user=request.user)
        if form.is_valid():  # the form's validation runs the service, inside one transaction
            messages.success(request, self.success_message % {"object": asset})
            return HttpResponseRedirect(reverse("ip:ipasset_detail", args=[asset.pk]))
        detail = IpAssetDetailView(request=request, kwargs={"pk": asset.pk}, args=())
        detail.object = IpAsset.objects.select_related("ip_type", "status", "owner", "admin_unit").get(
            pk=asset.pk
        )
        context = detail.get_context_data(object=detail.object, **{self.context_name: form})
        return detail.render_to_response(context)


class StatusChangeView(_AssetActionView):
    form_class = forms.StatusChangeForm
    rule = ip_rules.RECORD_STATUS
    context_name = "status_form"
    success_message = _("Status of “%(object)s” recorded.")


class RenewalView(_AssetActionView):
    form_class = forms.RenewalForm
    rule = ip_rules.RENEW
    context_name = "renewal_form"
    success_message = _("Renewal of “%(object)s” recorded.")


class IpAssetOptionsView(SearchOptionsView):
    """Options for the asset search box of the authorised-user form: assets the user may change."""

    model = IpAsset
    action = permissions.CHANGE

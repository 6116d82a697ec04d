import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import generic
from django.views.decorators.cache import never_cache

from stims.core import permissions

from .forms import ApiTokenForm

logger = logging.getLogger(__name__)


class ProfileView(LoginRequiredMixin, generic.TemplateView):
    """The signed-in user's own page: their roles and where each applies."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = self.request.user.role_assignments.select_related(
            "admin_unit", "organization"
        ).order_by("role")
        context["active_ids"] = {a.pk for a in permissions.active_assignments(self.request.user)}
        return context


# never_cache: the page that shows a new key must not be kept by the browser or any proxy.
@method_decorator(never_cache, name="dispatch")
class ApiTokenListView(LoginRequiredMixin, generic.TemplateView):
    """The signed-in user's own API tokens, and a form to create one.

    A new key is shown in the response to the form that created it, and nowhere else: it is neither
    stored nor put in a redirect or in the session, so reloading the page cannot show it again.
    """

    template_name = "accounts/api_tokens.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ApiTokenForm(user=self.request.user))
        context["tokens"] = self.request.user.api_tokens.all()
        return context

    def post(self, request):
        form = ApiTokenForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        token, key = form.save()
        logger.info("API token %s… (%s) created by %s for themselves", token.prefix, token.name, request.user)
        return self.render_to_response(
            self.get_context_data(form=ApiTokenForm(user=request.user), new_token=token, new_key=key)
        )


class ApiTokenRevokeView(LoginRequiredMixin, generic.DetailView):
    """Confirm, then revoke one of the user's own tokens; another user's token is not found (404)."""

    template_name = "accounts/api_token_revoke.html"
    context_object_name = "token"

    def get_queryset(self):
        return self.request.user.api_tokens.all()

    def post(self, request, pk):
        token = self.get_object()
        if token.revoke(by=request.user):
            logger.info(
                "API token %s… (%s) of %s revoked by %s", token.prefix, token.name, token.user, request.user
            )
            messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
        else:
            messages.info(request, _("The token “%(name)s” was already revoked.") % {"name": token.name})
        return redirect("accounts:api_tokens")

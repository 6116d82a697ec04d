"""Pages that gather several apps: the home page, per role (see dashboard.py)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import generic

from stims.core import permissions

from . import dashboard


class HomeView(LoginRequiredMixin, generic.TemplateView):
    """The day's questions for the user's roles, each figure a link to the list behind it."""

    template_name = "site/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["blocks"] = dashboard.home_blocks(user)
        context["assignments"] = permissions.active_assignments(user)
        return context

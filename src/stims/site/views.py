"""Pages that gather several apps: the home page, per role (see dashboard.py)."""

from django.views import generic

from stims.core import permissions
from stims.portal.public_views import PortalHomeView

from . import dashboard


class HomeView(generic.TemplateView):
    """The front page: the public portal for a visitor (stims.portal); for a signed-in user, the day's
    questions for their roles, each figure a link to the list behind it."""

    template_name = "site/home.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return PortalHomeView.as_view()(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["blocks"] = dashboard.home_blocks(user)
        context["assignments"] = permissions.active_assignments(user)
        return context

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import generic

from stims.core import permissions


class ProfileView(LoginRequiredMixin, generic.TemplateView):
    """The signed-in user's own page: their roles and where each applies."""

    template_name = "accounts/profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["assignments"] = (
            self.request.user.role_assignments.select_related("admin_unit", "organization").order_by("role")
        )
        context["active_ids"] = {a.pk for a in permissions.active_assignments(self.request.user)}
        return context

"""Pages that gather several apps: the home page."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import generic

from stims.core import permissions
from stims.geo.models import AdminUnit
from stims.geo.services import home_province
from stims.orgs.models import LocalBody, Organization, Person


class HomeView(LoginRequiredMixin, generic.TemplateView):
    template_name = "site/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        counts = []
        for model, url_name in (
            (Organization, "orgs:organization_list"),
            (Person, "orgs:person_list"),
            (LocalBody, "orgs:localbody_list"),
        ):
            if permissions.has_perm(user, permissions.VIEW, model):
                qs = permissions.restrict(model.objects.all(), user)
                counts.append(
                    {"label": model._meta.verbose_name_plural, "count": qs.count(), "url": url_name}
                )
        context["counts"] = counts
        context["province"] = home_province()
        context["unit_count"] = AdminUnit.objects.count()
        context["assignments"] = permissions.active_assignments(user)
        return context

"""Site-wide pages: home, global search, health check."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.views import generic

from . import permissions
from .search import search


class HomeView(LoginRequiredMixin, generic.TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        from stims.geo.models import AdminUnit
        from stims.geo.services import home_province
        from stims.orgs.models import LocalBody, Organization, Person

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


class SearchView(LoginRequiredMixin, generic.TemplateView):
    template_name = "core/search.html"

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "search-results":
            return ["core/_search_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "").strip()[:200]
        context["query"] = query
        context["groups"] = search(self.request.user, query) if query else []
        return context


def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

"""Site-wide pages: global search, health check (the home page gathers apps: `stims.site`)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.views import generic

from .search import search


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

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from stims.core.api import SchemaView
from stims.councils.api import router as councils_router
from stims.drafting.urls import urlpatterns as drafting_patterns
from stims.enterprises.api import router as enterprises_router
from stims.funding.api import router as funding_router
from stims.geo.api import router as geo_router
from stims.initiatives.api import router as initiatives_router
from stims.innovation.api import router as innovation_router
from stims.inspections.api import router as inspections_router
from stims.ip.api import router as ip_router
from stims.iso.api import router as iso_router
from stims.meetings.api import router as meetings_router
from stims.meetings.urls import urlpatterns as meetings_patterns
from stims.orgs.api import router as orgs_router
from stims.products.api import router as products_router
from stims.programmes.api import router as programmes_router
from stims.registries.api import router as registries_router
from stims.results.api import router as results_router
from stims.sttasks.api import router as sttasks_router

api_patterns = [
    path("geo/", include(geo_router.urls)),
    path("orgs/", include(orgs_router.urls)),
    path("products/", include(products_router.urls)),
    path("ip/", include(ip_router.urls)),
    path("enterprises/", include(enterprises_router.urls)),
    path("registries/", include(registries_router.urls)),
    path("tasks/", include(sttasks_router.urls)),
    path("councils/", include(councils_router.urls)),
    path("funding/", include(funding_router.urls)),
    path("results/", include(results_router.urls)),
    path("meetings/", include(meetings_router.urls)),
    path("inspections/", include(inspections_router.urls)),
    path("iso/", include(iso_router.urls)),
    path("initiatives/", include(initiatives_router.urls)),
    path("reports/", include("stims.reports.api")),
    path("programmes/", include(programmes_router.urls)),
    path("index/", include(innovation_router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", include("stims.site.urls")),
    path("", include("stims.core.urls")),
    path("accounts/", include("stims.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("stims.geo.urls")),
    path("directory/", include("stims.orgs.urls")),
    path("products/", include("stims.products.urls")),
    path("ip/", include("stims.ip.urls")),
    path("enterprises/", include("stims.enterprises.urls")),
    path("registries/", include("stims.registries.urls")),
    path("tasks/", include("stims.sttasks.urls")),
    path("councils/", include("stims.councils.urls")),
    path("funding/", include("stims.funding.urls")),
    path("results/", include("stims.results.urls")),
    path("iso/", include("stims.iso.urls")),
    path("initiatives/", include("stims.initiatives.urls")),
    path("reports/", include("stims.reports.urls")),
    path("programmes/", include("stims.programmes.urls")),
    path("index/", include("stims.innovation.urls")),
    # Drafting (its own app, on top of meetings) keeps its pages under /meetings/ and the meetings
    # URL names: meetings:draft, meetings:draft_confirm.
    path("meetings/", include(([*meetings_patterns, *drafting_patterns], "meetings"))),
    path("quality/", include("stims.inspections.urls")),
    path("api/", include((api_patterns, "api"))),
    path("portal/", include("stims.portal.urls")),
    path("admin/", admin.site.urls),
]
# Uploads are never served from MEDIA_URL, not even with DEBUG on: only through /files/<name>, which
# checks that the user may see the record the file belongs to (core.files.FileDownloadView).

# The 403 page shows a named rule's reason (core.rules.RuleRefused), and nothing else a refusal carries.
handler403 = "stims.core.denied.permission_denied"

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from stims.geo.api import router as geo_router
from stims.orgs.api import router as orgs_router

api_patterns = [
    path("geo/", include(geo_router.urls)),
    path("orgs/", include(orgs_router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]

urlpatterns = [
    path("", include("stims.core.urls")),
    path("accounts/", include("stims.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("units/", include("stims.geo.urls")),
    path("directory/", include("stims.orgs.urls")),
    path("api/", include((api_patterns, "api"))),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

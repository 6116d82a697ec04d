from django.urls import path

from . import site_views
from .files import FileDownloadView
from .health import LivenessView, ReadinessView
from .metrics import MetricsView

urlpatterns = [
    path("search/", site_views.SearchView.as_view(), name="search"),
    path("healthz", site_views.health, name="health"),
    path("health/", LivenessView.as_view(), name="health_live"),
    path("health/ready/", ReadinessView.as_view(), name="health_ready"),
    path("metrics", MetricsView.as_view(), name="metrics"),
    # Uploaded files, only through the permission check (DocumentStorage.url points here).
    path("files/<path:name>", FileDownloadView.as_view(), name="file_download"),
]

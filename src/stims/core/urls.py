from django.urls import path

from . import site_views
from .files import FileDownloadView

urlpatterns = [
    path("search/", site_views.SearchView.as_view(), name="search"),
    path("healthz", site_views.health, name="health"),
    # Uploaded files, only through the permission check (DocumentStorage.url points here).
    path("files/<path:name>", FileDownloadView.as_view(), name="file_download"),
]

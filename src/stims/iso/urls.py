from django.urls import path

from stims.core.views import model_urls

from . import import_views, views
from .models import IsoActivity, IsoCheck, IsoRecord

app_name = "iso"

urlpatterns = [
    path("", views.ComplianceView.as_view(), name="compliance"),
    path("records/import/", import_views.IsoImportView.as_view(), name="import"),
    path(
        "records/import/confirm/", import_views.IsoImportView.as_view(step="confirm"), name="import_confirm"
    ),
    path("records/import/cancel/", import_views.IsoImportView.as_view(step="cancel"), name="import_cancel"),
    path(
        "records/import/preview/<str:token>/",
        import_views.IsoImportView.as_view(step="preview"),
        name="import_preview",
    ),
    path(
        "records/import/progress/<str:token>/",
        import_views.IsoImportView.as_view(step="progress"),
        name="import_progress",
    ),
    path("records/import/template.xlsx", import_views.IsoTemplateView.as_view(), name="import_template"),
    *model_urls(IsoRecord, "records"),
    *model_urls(IsoActivity, "activities"),
    *model_urls(IsoCheck, "checks"),
]

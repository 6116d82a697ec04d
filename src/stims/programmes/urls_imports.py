"""The target import's pages; included by `urls.py`."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("targets/import/", import_views.TargetImportView.as_view(), name="import"),
    path(
        "targets/import/confirm/",
        import_views.TargetImportView.as_view(step="confirm"),
        name="import_confirm",
    ),
    path(
        "targets/import/cancel/", import_views.TargetImportView.as_view(step="cancel"), name="import_cancel"
    ),
    path(
        "targets/import/preview/<str:token>/",
        import_views.TargetImportView.as_view(step="preview"),
        name="import_preview",
    ),
    path(
        "targets/import/progress/<str:token>/",
        import_views.TargetImportView.as_view(step="progress"),
        name="import_progress",
    ),
    path("plans/<int:pk>/targets.xlsx", import_views.ImportTemplateView.as_view(), name="import_template"),
]

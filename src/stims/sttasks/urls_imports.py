"""The task import's pages; included by `urls.py` (names: sttasks:import, sttasks:import_confirm,
sttasks:import_cancel, sttasks:import_template)."""

from django.urls import path

from . import import_views

urlpatterns = [
    path("import/", import_views.TaskImportView.as_view(), name="import"),
    path("import/confirm/", import_views.TaskImportView.as_view(step="confirm"), name="import_confirm"),
    path("import/cancel/", import_views.TaskImportView.as_view(step="cancel"), name="import_cancel"),
    path(
        "import/preview/<str:token>/",
        import_views.TaskImportView.as_view(step="preview"),
        name="import_preview",
    ),
    path(
        "import/progress/<str:token>/",
        import_views.TaskImportView.as_view(step="progress"),
        name="import_progress",
    ),
    path("import/template.xlsx", import_views.ImportTemplateView.as_view(), name="import_template"),
]

from django.urls import path

from . import import_views

urlpatterns = [
    path("import/", import_views.RegistryImportView.as_view(), name="import"),
    path("import/confirm/", import_views.RegistryImportView.as_view(step="confirm"), name="import_confirm"),
    path("import/cancel/", import_views.RegistryImportView.as_view(step="cancel"), name="import_cancel"),
    path(
        "import/preview/<str:token>/",
        import_views.RegistryImportView.as_view(step="preview"),
        name="import_preview",
    ),
    path(
        "import/progress/<str:token>/",
        import_views.RegistryImportView.as_view(step="progress"),
        name="import_progress",
    ),
    path(
        "import/template/<str:kind>.xlsx", import_views.ImportTemplateView.as_view(), name="import_template"
    ),
    path("import/export/<str:kind>.xlsx", import_views.ImportExportView.as_view(), name="import_export"),
]

from django.urls import path

from stims.core.views import model_urls

from . import import_views, views
from .models import (
    Establishment,
    FollowUp,
    Inspection,
    InspectionDecision,
    InspectionPlan,
    MeasuringInstrument,
    RadiationLicence,
    RadiationSource,
    Sanction,
    Violation,
)

app_name = "inspections"
urlpatterns = [
    path("", views.QualityDashboardView.as_view(), name="dashboard"),
    path("establishments/import/", import_views.EstablishmentImportView.as_view(), name="import"),
    path(
        "establishments/import/confirm/",
        import_views.EstablishmentImportView.as_view(step="confirm"),
        name="import_confirm",
    ),
    path(
        "establishments/import/cancel/",
        import_views.EstablishmentImportView.as_view(step="cancel"),
        name="import_cancel",
    ),
    path(
        "establishments/import/preview/<str:token>/",
        import_views.EstablishmentImportView.as_view(step="preview"),
        name="import_preview",
    ),
    path(
        "establishments/import/progress/<str:token>/",
        import_views.EstablishmentImportView.as_view(step="progress"),
        name="import_progress",
    ),
    path(
        "establishments/import/template.xlsx",
        import_views.EstablishmentTemplateView.as_view(),
        name="import_template",
    ),
    path(
        "establishments/import/export.xlsx",
        import_views.EstablishmentExportView.as_view(),
        name="import_export",
    ),
    path("establishments/options/", views.EstablishmentOptionsView.as_view(), name="establishment_options"),
    path(
        "inspections/<int:pk>/move/<slug:action>/", views.InspectionMoveView.as_view(), name="inspection_move"
    ),
    *model_urls(Establishment, "establishments"),
    *model_urls(InspectionPlan, "plans"),
    *model_urls(InspectionDecision, "decisions"),
    *model_urls(Inspection, "inspections"),
    *model_urls(Violation, "violations"),
    *model_urls(Sanction, "sanctions"),
    *model_urls(FollowUp, "follow-ups"),
    *model_urls(MeasuringInstrument, "instruments"),
    *model_urls(RadiationSource, "radiation-sources"),
    *model_urls(RadiationLicence, "radiation-licences"),
]

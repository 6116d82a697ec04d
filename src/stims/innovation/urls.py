from django.urls import path

from stims.core.views import model_urls

from . import import_views, views
from .models import Framework, Indicator, IndicatorGroup, IndicatorValue, Pillar, PublishedScore

app_name = "innovation"

urlpatterns = [
    path("", views.LatestResultsView.as_view(), name="results"),
    *model_urls(Framework, "frameworks"),
    *model_urls(Pillar, "pillars"),
    *model_urls(IndicatorGroup, "groups"),
    *model_urls(Indicator, "indicators"),
    *model_urls(IndicatorValue, "values"),
    *model_urls(PublishedScore, "published"),
    path("frameworks/<int:pk>/results/", views.ResultsView.as_view(), name="framework_results"),
    path("frameworks/<int:pk>/compare/", views.CompareView.as_view(), name="framework_compare"),
    path("frameworks/<int:pk>/robustness/", views.RobustnessView.as_view(), name="framework_robustness"),
    path("frameworks/<int:pk>/units/<int:unit>/", views.UnitResultView.as_view(), name="unit_result"),
    path("frameworks/<int:pk>/units/<int:unit>/what-if/", views.WhatIfView.as_view(), name="unit_whatif"),
    path("import/", import_views.IndicatorValueImportView.as_view(), name="import"),
    path(
        "import/confirm/",
        import_views.IndicatorValueImportView.as_view(step="confirm"),
        name="import_confirm",
    ),
    path(
        "import/cancel/", import_views.IndicatorValueImportView.as_view(step="cancel"), name="import_cancel"
    ),
    path(
        "import/preview/<str:token>/",
        import_views.IndicatorValueImportView.as_view(step="preview"),
        name="import_preview",
    ),
    path(
        "import/progress/<str:token>/",
        import_views.IndicatorValueImportView.as_view(step="progress"),
        name="import_progress",
    ),
    path(
        "frameworks/<int:pk>/template.xlsx", import_views.ImportTemplateView.as_view(), name="import_template"
    ),
]

from django.urls import path

from stims.core.views import model_urls

from . import import_views, views
from .models import CouncilRound, Initiative, InitiativeAuthor, RoundMember, ScoreSheet

app_name = "initiatives"

urlpatterns = [
    path("initiatives/import/", import_views.InitiativeImportView.as_view(), name="import"),
    path(
        "initiatives/import/confirm/",
        import_views.InitiativeImportView.as_view(step="confirm"),
        name="import_confirm",
    ),
    path(
        "initiatives/import/cancel/",
        import_views.InitiativeImportView.as_view(step="cancel"),
        name="import_cancel",
    ),
    path(
        "initiatives/import/preview/<str:token>/",
        import_views.InitiativeImportView.as_view(step="preview"),
        name="import_preview",
    ),
    path(
        "initiatives/import/progress/<str:token>/",
        import_views.InitiativeImportView.as_view(step="progress"),
        name="import_progress",
    ),
    path(
        "initiatives/import/template.xlsx",
        import_views.InitiativeTemplateView.as_view(),
        name="import_template",
    ),
    *model_urls(Initiative, "initiatives"),
    *model_urls(InitiativeAuthor, "authors"),
    *model_urls(ScoreSheet, "sheets"),
    *model_urls(CouncilRound, "rounds"),
    *model_urls(RoundMember, "members"),
    path(
        "initiatives/<int:pk>/move/<slug:move>/", views.InitiativeMoveView.as_view(), name="initiative_move"
    ),
    path("initiatives/<int:pk>/score/", views.InitiativeScoreView.as_view(), name="initiative_score"),
    path("report/", views.RecognisedReportView.as_view(), name="report"),
]

from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import Council, CouncilDossier, CouncilMember, CriteriaSet, Criterion

app_name = "councils"

urlpatterns = [
    *model_urls(Council, ""),
    *model_urls(CouncilMember, "members"),
    *model_urls(CouncilDossier, "dossiers"),
    *model_urls(CriteriaSet, "criteria-sets"),
    *model_urls(Criterion, "criteria"),
    path("<int:pk>/conclude/", views.ConcludeView.as_view(), name="council_conclude"),
    path("<int:pk>/minutes/", views.MinutesUploadView.as_view(), name="council_minutes"),
    path("<int:pk>/minutes/download/", views.MinutesDownloadView.as_view(), name="council_minutes_download"),
    path(
        "dossiers/<int:dossier>/sheets/<int:member>/", views.ScoreSheetView.as_view(), name="scoresheet_enter"
    ),
    path(
        "dossiers/<int:dossier>/sheets/<int:member>/delete/",
        views.ScoreSheetDeleteView.as_view(),
        name="scoresheet_delete",
    ),
]

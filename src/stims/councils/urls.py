from django.urls import path

from stims.core.views import crud_urls

from . import views
from .models import Council, CouncilDossier, CouncilMember, CriteriaSet, Criterion

app_name = "councils"

urlpatterns = [
    *crud_urls(Council, views.council_views, ""),
    *crud_urls(CouncilMember, views.member_views, "members"),
    *crud_urls(CouncilDossier, views.dossier_views, "dossiers"),
    *crud_urls(CriteriaSet, views.criteriaset_views, "criteria-sets"),
    *crud_urls(Criterion, views.criterion_views, "criteria"),
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

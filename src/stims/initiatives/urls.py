from django.urls import path

from stims.core.views import model_urls

from . import views
from .models import CouncilRound, Initiative, InitiativeAuthor, RoundMember, ScoreSheet

app_name = "initiatives"

urlpatterns = [
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
